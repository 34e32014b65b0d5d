/**
 * Why an exit has no encoding in the shared x86 parts: the exit's field at fault and a sentence.
 * Each encoder turns it into `VmExitError("unrepresentable")` naming its architecture.
 */
export class Unencodable {
  /** The field of the exit that cannot be expressed (`data`, `targetCpu`, …). */
  readonly field: string;
  /** Why, as a sentence naming the value. */
  readonly why: string;

  constructor(field: string, why: string) {
    this.field = field;
    this.why = why;
  }
}
