// The field-position helpers, shared with the other architectures' hot decoders: see core/at.ts.
export { bitsAt, fieldAt, flagAt, hiOf, isSetAt, loOf } from "../../core/at";
