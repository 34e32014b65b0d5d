// Where the ESR_EL2 / HPFAR_EL2 / SMCCC fields the decoders read lie, as `mask << 6 | lo` (see
// `at.ts`): one module of enums only, so that a bundle of a decoder keeps none of the explainer's
// layouts (an enum read across modules of the built package is a property load, not a constant).

/** Where the ESR_EL2 fields lie (`mask << 6 | lo`, see `at.ts`): the layout field objects and the decoder read them. */
export enum Esr {
  /** RES0 [63:56]. */
  RES0 = (0xff << 6) | 56,
  /** ISS2 [55:32]. */
  ISS2 = (0xff_ffff << 6) | 32,
  /** EC [31:26]. */
  EC = (0x3f << 6) | 26,
  /** IL [25]. */
  IL = (1 << 6) | 25,
  /** ISS [24:0]. */
  ISS = (0x1ff_ffff << 6) | 0,
}

/**
 * Where the instruction and data abort ISS fields lie (`mask << 6 | lo`, see `at.ts`): the layout field objects
 * and the decoder read them (ISV…AR are the data abort's instruction syndrome).
 */
export enum AbortIss {
  /** ISV [24]. */
  ISV = (1 << 6) | 24,
  /** SAS [23:22]. */
  SAS = (0b11 << 6) | 22,
  /** SSE [21]. */
  SSE = (1 << 6) | 21,
  /** SRT [20:16]. */
  SRT = (0x1f << 6) | 16,
  /** SF [15]. */
  SF = (1 << 6) | 15,
  /** AR [14]. */
  AR = (1 << 6) | 14,
  /** VNCR [13]. */
  VNCR = (1 << 6) | 13,
  /** SET [12:11]. */
  SET = (0b11 << 6) | 11,
  /** FnV [10]. */
  FNV = (1 << 6) | 10,
  /** EA [9]. */
  EA = (1 << 6) | 9,
  /** CM [8]. */
  CM = (1 << 6) | 8,
  /** S1PTW [7]. */
  S1PTW = (1 << 6) | 7,
  /** WnR [6]. */
  WNR = (1 << 6) | 6,
  /** DFSC / IFSC [5:0]. */
  FSC = (0x3f << 6) | 0,
}

/** Where the HVC/SVC/SMC64 immediate lies (`mask << 6 | lo`). */
export enum CallIss {
  /** imm16 [15:0]. */
  IMM16 = (0xffff << 6) | 0,
}

/** Where the AArch32 condition fields lie in an ISS (`mask << 6 | lo`). */
export enum Cond {
  /** CV [24]. */
  CV = (1 << 6) | 24,
  /** COND [23:20]. */
  COND = (0xf << 6) | 20,
}

/**
 * Where HPFAR_EL2.FIPA and the page offset of FAR_EL2 lie (`mask << 6 | lo`, see `at.ts`): the
 * fields below and the decoder read them. FIPA [47:4] straddles bit 32: its low part is
 * HPFAR[31:FIPA_LO] (IPA[39:12]), its high part HPFAR[47:32] (IPA[55:40]).
 */
export enum FaultAddress {
  /** The lowest bit of HPFAR_EL2.FIPA [47:4]. */
  FIPA_LO = 4,
  /** HPFAR_EL2[47:32], the high part of FIPA. */
  FIPA_HIGH = (0xffff << 6) | 32,
  /** FAR_EL2[11:0], the page offset. */
  PAGE_OFFSET = (0xfff << 6) | 0,
}

/** Where the SError ISS fields the decoder reads lie (`mask << 6 | lo`, see `at.ts`). */
export enum SErrorIss {
  /** IDS [24]. */
  IDS = (1 << 6) | 24,
  /** AET [12:10]. */
  AET = (0b111 << 6) | 10,
  /** EA [9]. */
  EA = (1 << 6) | 9,
  /** DFSC [5:0]. */
  DFSC = (0x3f << 6) | 0,
}

/** Where the fields of an SGI register value lie (`mask << 6 | lo`, see `at.ts`): the field objects and the decoder read them. */
export enum SgiValue {
  /** Aff3 [55:48]. */
  AFF3 = (0xff << 6) | 48,
  /** RS [47:44]. */
  RS = (0xf << 6) | 44,
  /** IRM [40]. */
  IRM = (1 << 6) | 40,
  /** Aff2 [39:32]. */
  AFF2 = (0xff << 6) | 32,
  /** INTID [27:24]. */
  INTID = (0xf << 6) | 24,
  /** Aff1 [23:16]. */
  AFF1 = (0xff << 6) | 16,
  /** TargetList [15:0]. */
  TARGET_LIST = (0xffff << 6) | 0,
}

/** Where the SMCCC function ID fields lie (`mask << 6 | lo`, see `at.ts`): the field objects and the decoder read them. */
export enum SmcccFid {
  /** CallType [31]. */
  CALL_TYPE = (1 << 6) | 31,
  /** Convention [30]. */
  CONVENTION = (1 << 6) | 30,
  /** OEN [29:24]. */
  OEN = (0x3f << 6) | 24,
  /** Function number [15:0]. */
  FUNCTION_NUMBER = (0xffff << 6) | 0,
}

/** Where the SYS64 ISS fields lie (`mask << 6 | lo`, see `at.ts`): the layout field objects and the decoder read them. */
export enum Sys64Iss {
  /** Op0 [21:20]. */
  OP0 = (0b11 << 6) | 20,
  /** Op2 [19:17]. */
  OP2 = (0b111 << 6) | 17,
  /** Op1 [16:14]. */
  OP1 = (0b111 << 6) | 14,
  /** CRn [13:10]. */
  CRN = (0xf << 6) | 10,
  /** Rt [9:5]. */
  RT = (0x1f << 6) | 5,
  /** CRm [4:1]. */
  CRM = (0xf << 6) | 1,
  /** Direction [0]. */
  DIRECTION = (1 << 6) | 0,
}

/** Where the WFx ISS fields lie (`mask << 6 | lo`, see `at.ts`) (CV and COND: `Cond`): the fields and the decoder read them. */
export enum WfxIss {
  /** RN [9:5]. */
  RN = (0x1f << 6) | 5,
  /** RV [2]. */
  RV = (1 << 6) | 2,
  /** TI [1:0]. */
  TI = (0b11 << 6) | 0,
}
