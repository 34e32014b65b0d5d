import { describe, expect, it } from "vitest";
import { mmioRead, mmioWrite, nestedPageFault, nothing } from "../../core/constructors";
import { VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import type { X86CpuMode } from "../insn/access";
import type { VmxEptViolationCause } from "./cause";
import { decodeVmx } from "./decode";
import type { VmxDecodeOptions, VmxSnapshot } from "./snapshot";

/** Decodes an EPT violation and returns its exit and cause, narrowed by `class`. */
function decodeEpt(
  snapshot: VmxSnapshot,
  options?: VmxDecodeOptions,
): { exit: VmExit; cause: VmxEptViolationCause } {
  const { exit, cause } = decodeVmx(snapshot, options);
  if (cause.class !== "ept-violation") throw new Error(`not an EPT violation: ${cause.class}`);
  return { exit, cause };
}

const GPA = 0xfebf_0040n;
const REGS = {
  rax: 0x1111_2222_3333_4444n,
  rcx: 0x0102_0304_0506_0708n,
  rdx: 0xaaaa_bbbb_cccc_ddddn,
  rbx: 0xffff_ffff_ffff_ff9an,
  rsi: 0x5n,
  rdi: 0x6n,
  r12: 0xc0de_0000_0000_0012n,
};

/** An EPT violation at GPA with q = 0x181 (read | GLA valid | final translation) or 0x182 (write). */
function ept(
  bytes: readonly number[],
  write: boolean,
  cpuMode: X86CpuMode = 64,
): [VmxSnapshot, VmxDecodeOptions] {
  return [
    {
      exitReason: 48,
      exitQualification: write ? 0x182 : 0x181,
      guestPhysicalAddress: GPA,
      instructionBytes: bytes,
      regs: REGS,
    },
    { cpuMode },
  ];
}

const read = (
  width: 1 | 2 | 4 | 8,
  reg: number,
  regWidth: 1 | 2 | 4 | 8,
  signedExt = false,
): VmExit => mmioRead({ addr: GPA, width, reg, regWidth, signedExt });
const write = (width: 1 | 2 | 4 | 8, data: bigint): VmExit => mmioWrite({ addr: GPA, width, data });

// Bytes are encoded by hand from the SDM Vol. 2 opcode tables: ModRM = mod(7:6) reg(5:3) rm(2:0);
// REX = 0100WRXB; registers in encoding order (0 RAX … 7 RDI; with no REX, byte regs 4–7 = AH CH DH BH → 16–19).
const CASES: readonly {
  name: string;
  input: [VmxSnapshot, VmxDecodeOptions];
  exit: VmExit;
  opcode?: string;
}[] = [
  // ---- 64-bit mode loads (8A / 8B)
  {
    name: "8B 03 mov eax,[rbx]",
    input: ept([0x8b, 0x03], false),
    exit: read(4, 0, 4),
    opcode: "8B",
  }, // ModRM 00 000 011
  { name: "48 8B 0B mov rcx,[rbx]", input: ept([0x48, 0x8b, 0x0b], false), exit: read(8, 1, 8) }, // REX.W; ModRM 00 001 011
  { name: "4C 8B 03 mov r8,[rbx]", input: ept([0x4c, 0x8b, 0x03], false), exit: read(8, 8, 8) }, // REX.WR: reg 0+8
  { name: "44 8B 3F mov r15d,[rdi]", input: ept([0x44, 0x8b, 0x3f], false), exit: read(4, 15, 4) }, // REX.R; ModRM 00 111 111
  {
    name: "45 8B 48 10 mov r9d,[r8+0x10]",
    input: ept([0x45, 0x8b, 0x48, 0x10], false),
    exit: read(4, 9, 4),
  }, // REX.RB; ModRM 01 001 000 + disp8
  { name: "66 8B 07 mov ax,[rdi]", input: ept([0x66, 0x8b, 0x07], false), exit: read(2, 0, 2) }, // 66 → 16-bit operand
  {
    name: "8A 27 mov ah,[rdi]",
    input: ept([0x8a, 0x27], false),
    exit: read(1, 16, 1),
    opcode: "8A",
  }, // ModRM 00 100 111, no REX → AH
  { name: "8A 3E mov bh,[rsi]", input: ept([0x8a, 0x3e], false), exit: read(1, 19, 1) }, // ModRM 00 111 110 → BH
  { name: "40 8A 27 mov spl,[rdi]", input: ept([0x40, 0x8a, 0x27], false), exit: read(1, 4, 1) }, // any REX → SPL (4)
  { name: "41 8A 00 mov al,[r8]", input: ept([0x41, 0x8a, 0x00], false), exit: read(1, 0, 1) }, // REX.B extends rm only
  {
    name: "8B 44 24 08 mov eax,[rsp+8] (SIB)",
    input: ept([0x8b, 0x44, 0x24, 0x08], false),
    exit: read(4, 0, 4),
  }, // ModRM 01 000 100, SIB 24
  {
    name: "8B 80 disp32 mov eax,[rax+0x1000]",
    input: ept([0x8b, 0x80, 0x00, 0x10, 0x00, 0x00], false),
    exit: read(4, 0, 4),
  }, // mod 10
  {
    name: "8B 05 rel32 mov eax,[rip+0x10]",
    input: ept([0x8b, 0x05, 0x10, 0, 0, 0], false),
    exit: read(4, 0, 4),
  }, // mod 00 rm 101 = RIP-relative
  { name: "64 8B 03 mov eax,fs:[rbx]", input: ept([0x64, 0x8b, 0x03], false), exit: read(4, 0, 4) }, // FS override
  {
    name: "2E 66 8B 0B mov cx,cs:[rbx]",
    input: ept([0x2e, 0x66, 0x8b, 0x0b], false),
    exit: read(2, 1, 2),
  }, // CS + 66
  { name: "67 8B 03 mov eax,[ebx]", input: ept([0x67, 0x8b, 0x03], false), exit: read(4, 0, 4) }, // 67: 32-bit addressing
  // ---- 64-bit mode stores (88 / 89) — data from the source register masked to the width
  {
    name: "88 08 mov [rax],cl",
    input: ept([0x88, 0x08], true),
    exit: write(1, 0x08n),
    opcode: "88",
  }, // ModRM 00 001 000; CL = 0x08
  { name: "88 2B mov [rbx],ch", input: ept([0x88, 0x2b], true), exit: write(1, 0x07n) }, // reg 5 no REX → CH = RCX[15:8] = 0x07
  { name: "88 30 mov [rax],dh", input: ept([0x88, 0x30], true), exit: write(1, 0xddn) }, // reg 6 → DH = RDX[15:8] = 0xDD
  {
    name: "89 10 mov [rax],edx",
    input: ept([0x89, 0x10], true),
    exit: write(4, 0xcccc_ddddn),
    opcode: "89",
  }, // EDX
  { name: "66 89 08 mov [rax],cx", input: ept([0x66, 0x89, 0x08], true), exit: write(2, 0x0708n) }, // CX
  {
    name: "48 89 18 mov [rax],rbx",
    input: ept([0x48, 0x89, 0x18], true),
    exit: write(8, 0xffff_ffff_ffff_ff9an),
  }, // REX.W; reg 3
  {
    name: "4C 89 20 mov [rax],r12",
    input: ept([0x4c, 0x89, 0x20], true),
    exit: write(8, 0xc0de_0000_0000_0012n),
  }, // REX.WR: reg 4+8
  { name: "44 88 20 mov [rax],r12b", input: ept([0x44, 0x88, 0x20], true), exit: write(1, 0x12n) }, // REX.R: reg 12, byte
  // ---- immediates (C6 /0, C7 /0)
  {
    name: "C6 00 AB mov byte [rax],0xAB",
    input: ept([0xc6, 0x00, 0xab], true),
    exit: write(1, 0xabn),
    opcode: "C6 /0",
  },
  {
    name: "66 C7 00 34 12 mov word [rax],0x1234",
    input: ept([0x66, 0xc7, 0x00, 0x34, 0x12], true),
    exit: write(2, 0x1234n),
  },
  {
    name: "C7 00 imm32 mov dword [rax],0x12345678",
    input: ept([0xc7, 0x00, 0x78, 0x56, 0x34, 0x12], true),
    exit: write(4, 0x1234_5678n),
    opcode: "C7 /0",
  },
  // REX.W C7: imm32 0xFFFFFFFF sign-extended to 64 bits
  {
    name: "48 C7 00 -1 mov qword [rax],-1",
    input: ept([0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff], true),
    exit: write(8, 0xffff_ffff_ffff_ffffn),
  },
  // imm32 0x80000000 sign-extended → 0xFFFFFFFF80000000
  {
    name: "48 C7 00 0x80000000 sign-extends",
    input: ept([0x48, 0xc7, 0x00, 0, 0, 0, 0x80], true),
    exit: write(8, 0xffff_ffff_8000_0000n),
  },
  {
    name: "48 C7 80 disp32 imm32",
    input: ept([0x48, 0xc7, 0x80, 0x10, 0, 0, 0, 0x01, 0, 0, 0], true),
    exit: write(8, 1n),
  }, // mod 10 + disp32 + imm32
  // ---- moffs forms A0–A3 (64-bit: 8-byte offset)
  {
    name: "A0 moffs64 mov al,[moffs]",
    input: ept([0xa0, 0, 0, 0xe0, 0xfe, 0, 0, 0, 0], false),
    exit: read(1, 0, 1),
    opcode: "A0",
  },
  {
    name: "A1 moffs64 mov eax,[moffs]",
    input: ept([0xa1, 0, 0, 0xe0, 0xfe, 0, 0, 0, 0], false),
    exit: read(4, 0, 4),
  },
  {
    name: "48 A1 moffs64 mov rax,[moffs]",
    input: ept([0x48, 0xa1, 0, 0, 0xe0, 0xfe, 0, 0, 0, 0], false),
    exit: read(8, 0, 8),
  },
  {
    name: "A2 moffs64 mov [moffs],al",
    input: ept([0xa2, 0, 0, 0xe0, 0xfe, 0, 0, 0, 0], true),
    exit: write(1, 0x44n),
  }, // AL = 0x44
  {
    name: "A3 moffs64 mov [moffs],eax",
    input: ept([0xa3, 0, 0, 0xe0, 0xfe, 0, 0, 0, 0], true),
    exit: write(4, 0x3333_4444n),
  },
  {
    name: "66 A3 moffs64 mov [moffs],ax",
    input: ept([0x66, 0xa3, 0, 0, 0xe0, 0xfe, 0, 0, 0, 0], true),
    exit: write(2, 0x4444n),
  },
  {
    name: "67 A1 moffs32 (address-size override)",
    input: ept([0x67, 0xa1, 0, 0, 0xe0, 0xfe], false),
    exit: read(4, 0, 4),
  },
  // ---- MOVZX / MOVSX / MOVSXD
  {
    name: "0F B6 03 movzx eax,byte [rbx]",
    input: ept([0x0f, 0xb6, 0x03], false),
    exit: read(1, 0, 4),
    opcode: "0F B6",
  },
  {
    name: "0F B7 0B movzx ecx,word [rbx]",
    input: ept([0x0f, 0xb7, 0x0b], false),
    exit: read(2, 1, 4),
    opcode: "0F B7",
  },
  {
    name: "48 0F B6 03 movzx rax,byte",
    input: ept([0x48, 0x0f, 0xb6, 0x03], false),
    exit: read(1, 0, 8),
  },
  {
    name: "66 0F B6 03 movzx ax,byte",
    input: ept([0x66, 0x0f, 0xb6, 0x03], false),
    exit: read(1, 0, 2),
  },
  {
    name: "4C 0F B7 1B movzx r11,word",
    input: ept([0x4c, 0x0f, 0xb7, 0x1b], false),
    exit: read(2, 11, 8),
  }, // REX.WR; reg 3+8
  {
    name: "0F BE 03 movsx eax,byte",
    input: ept([0x0f, 0xbe, 0x03], false),
    exit: read(1, 0, 4, true),
    opcode: "0F BE",
  },
  {
    name: "48 0F BF 03 movsx rax,word",
    input: ept([0x48, 0x0f, 0xbf, 0x03], false),
    exit: read(2, 0, 8, true),
    opcode: "0F BF",
  },
  {
    name: "48 63 03 movsxd rax,dword",
    input: ept([0x48, 0x63, 0x03], false),
    exit: read(4, 0, 8, true),
    opcode: "63",
  },
  {
    name: "4C 63 13 movsxd r10,dword",
    input: ept([0x4c, 0x63, 0x13], false),
    exit: read(4, 10, 8, true),
  }, // reg 2+8
  // ---- XRELEASE on a store (F3: a hint CPUs without HLE ignore), MOVSXD with 66
  {
    name: "F3 89 07 xrelease mov [rdi],eax is a 4-byte store",
    input: ept([0xf3, 0x89, 0x07], true),
    exit: write(4, 0x3333_4444n),
    opcode: "89",
  }, // data = EAX = RAX[31:0]
  {
    name: "66 63 07 movsxd ax,word [rdi] reads 2 bytes",
    input: ept([0x66, 0x63, 0x07], false),
    exit: read(2, 0, 2, true),
    opcode: "63",
  }, // SDM: MOVSXD r16, r/m16
  // ---- 32-bit mode
  { name: "32-bit: 8B 03 mov eax,[ebx]", input: ept([0x8b, 0x03], false, 32), exit: read(4, 0, 4) },
  {
    name: "32-bit: 66 89 08 mov [eax],cx",
    input: ept([0x66, 0x89, 0x08], true, 32),
    exit: write(2, 0x0708n),
  },
  {
    name: "32-bit: A1 moffs32",
    input: ept([0xa1, 0, 0, 0xe0, 0xfe], false, 32),
    exit: read(4, 0, 4),
  },
  {
    name: "32-bit: 67 8B 07 mov eax,[bx]",
    input: ept([0x67, 0x8b, 0x07], false, 32),
    exit: read(4, 0, 4),
  }, // 16-bit addressing rm 111 = [bx]
  {
    name: "32-bit: 0F BF 03 movsx eax,word",
    input: ept([0x0f, 0xbf, 0x03], false, 32),
    exit: read(2, 0, 4, true),
  },
  // ---- 16-bit mode
  { name: "16-bit: 8B 07 mov ax,[bx]", input: ept([0x8b, 0x07], false, 16), exit: read(2, 0, 2) },
  {
    name: "16-bit: 66 8B 07 mov eax,[bx]",
    input: ept([0x66, 0x8b, 0x07], false, 16),
    exit: read(4, 0, 4),
  },
  {
    name: "16-bit: A1 moffs16 mov ax,[0x1000]",
    input: ept([0xa1, 0x00, 0x10], false, 16),
    exit: read(2, 0, 2),
  },
  {
    name: "16-bit: 8B 06 disp16 mov ax,[0x1000]",
    input: ept([0x8b, 0x06, 0x00, 0x10], false, 16),
    exit: read(2, 0, 2),
  }, // mod 00 rm 110 = disp16
  {
    name: "16-bit: C7 07 imm16 mov word [bx],0xBEEF",
    input: ept([0xc7, 0x07, 0xef, 0xbe], true, 16),
    exit: write(2, 0xbeefn),
  },
  // ---- not decodable → NestedPageFault with the qualification's flags
  {
    name: "01 03 add [rbx],eax is unsupported",
    input: ept([0x01, 0x03], true),
    exit: nestedPageFault({ addr: GPA, accessFlags: 2 }),
  },
  {
    name: "AB stosd is unsupported",
    input: ept([0xab], true),
    exit: nestedPageFault({ addr: GPA, accessFlags: 2 }),
  },
  {
    name: "A5 movsd is unsupported",
    input: ept([0xa5], false),
    exit: nestedPageFault({ addr: GPA, accessFlags: 1 }),
  },
  {
    name: "truncated 8B is unsupported",
    input: ept([0x8b], false),
    exit: nestedPageFault({ addr: GPA, accessFlags: 1 }),
  },
  {
    name: "32-bit: 48 is DEC, not REX",
    input: ept([0x48, 0x8b, 0x03], false, 32),
    exit: nestedPageFault({ addr: GPA, accessFlags: 1 }),
  },
  {
    name: "a store under a read qualification",
    input: ept([0x89, 0x10], false),
    exit: nestedPageFault({ addr: GPA, accessFlags: 1 }),
  },
];

describe("MMIO instruction decode via EPT violation", () => {
  it("has a case for every supported form", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(55);
  });
  for (const c of CASES) {
    it(c.name, () => {
      const d = decodeEpt(...c.input);
      expect(d.exit).toEqual(c.exit);
      if (c.opcode !== undefined) expect(d.cause.instruction?.opcode).toBe(c.opcode);
      if (d.exit.kind === "NestedPageFault") {
        expect(d.cause.notMmio).toBeTypeOf("string");
      } else {
        expect(d.cause.notMmio).toBeUndefined();
        expect(d.cause.instruction?.length).toBe((c.input[0].instructionBytes as number[]).length);
      }
    });
  }
  it("names the unsupported opcode", () => {
    // 01 /r = ADD r/m32, r32
    expect(decodeEpt(...ept([0x01, 0x03], true)).cause.notMmio).toMatch(/opcode 01 \(ADD\)/);
  });
  it("never decodes an instruction fetch as MMIO", () => {
    // q = 0x4 (fetch) with MOV bytes
    const d = decodeEpt({
      exitReason: 48,
      exitQualification: 4,
      guestPhysicalAddress: GPA,
      instructionBytes: [0x8b, 0x03],
    });
    expect(d.exit).toEqual(nestedPageFault({ addr: GPA, accessFlags: 4 }));
    expect(d.cause.instruction).toBeUndefined();
    expect(d.cause.notMmio).toMatch(/instruction fetch/);
  });
  it("never decodes a guest paging-structure access as MMIO", () => {
    // q = 0x82: write (bit 1) | GLA valid (bit 7), bit 8 clear = an A/D-bit update of a page-table
    // entry during the walk; the MOV at RIP does not access this GPA
    const d = decodeEpt({
      exitReason: 48,
      exitQualification: 0x82,
      guestPhysicalAddress: GPA,
      instructionBytes: [0x89, 0x10],
      regs: REGS,
    });
    expect(d.exit).toEqual(nestedPageFault({ addr: GPA, accessFlags: 2 }));
    expect(d.cause.notMmio).toMatch(/paging-structure/);
    // q = 0x02: bit 7 clear (no GLA information) still decodes the MOV
    expect(decodeVmx({ ...ept([0x89, 0x10], true)[0], exitQualification: 2 }).exit).toEqual(
      write(4, 0xcccc_ddddn),
    );
  });
  it("honours options.isMmio", () => {
    const [s] = ept([0x8b, 0x03], false);
    const seen: bigint[] = [];
    const no = decodeEpt(s, {
      isMmio: (gpa) => {
        seen.push(gpa);
        return false;
      },
    });
    expect(seen).toEqual([GPA]);
    expect(no.exit).toEqual(nestedPageFault({ addr: GPA, accessFlags: 1 }));
    expect(no.cause.notMmio).toMatch(/isMmio/);
    expect(decodeVmx(s, { isMmio: () => true }).exit).toEqual(read(4, 0, 4));
  });
  it("accepts a Uint8Array", () => {
    const [s] = ept([], false);
    expect(decodeVmx({ ...s, instructionBytes: Uint8Array.of(0x8b, 0x03) }).exit).toEqual(
      read(4, 0, 4),
    );
  });
  it("EPT misconfiguration takes the direction from the instruction", () => {
    // reason 49; 89 10 = mov [rax],edx → write EDX
    const d = decodeVmx({
      exitReason: 49,
      guestPhysicalAddress: GPA,
      instructionBytes: [0x89, 0x10],
      regs: REGS,
    });
    expect(d.exit).toEqual(write(4, 0xcccc_ddddn));
    expect(
      decodeVmx({ exitReason: 49, guestPhysicalAddress: GPA, instructionBytes: [0xab] }).exit,
    ).toEqual(nestedPageFault({ addr: GPA, accessFlags: 0 }));
  });
  it("rejects bad bytes and missing source registers", () => {
    const [s] = ept([0x89, 0x10], true);
    expect(() => decodeVmx({ ...s, instructionBytes: [0x89, 256] })).toThrow(
      /instructionBytes\[1\]/,
    );
    expect(() => decodeVmx({ ...s, instructionBytes: "89" as never })).toThrow(VmExitError);
    try {
      decodeVmx({ ...s, regs: { rax: 0 } });
      expect.unreachable();
    } catch (e) {
      expect((e as VmExitError).code).toBe("missing-register");
      expect((e as VmExitError).field).toBe("regs.rdx");
    }
  });
});

describe("MMIO via APIC access", () => {
  const base = { exitReason: 44, regs: REGS };
  it("linear write to EOI (offset 0xB0) → MmioWrite at 0xFEE000B0", () => {
    // q = type 1 << 12 | 0x0B0 = 0x10B0; 89 10 = mov [rax],edx
    const d = decodeVmx({ ...base, exitQualification: 0x10b0, instructionBytes: [0x89, 0x10] });
    expect(d.exit).toEqual(mmioWrite({ addr: 0xfee0_00b0n, width: 4, data: 0xcccc_ddddn }));
  });
  it("linear read of the TPR (offset 0x80) → MmioRead", () => {
    // q = type 0 | 0x080; 8B 00 = mov eax,[rax]
    const d = decodeVmx({ ...base, exitQualification: 0x80, instructionBytes: [0x8b, 0x00] });
    expect(d.exit).toEqual(
      mmioRead({ addr: 0xfee0_0080n, width: 4, reg: 0, regWidth: 4, signedExt: false }),
    );
  });
  it("uses options.apicBase", () => {
    // relocated APIC at 0xFEC00000, offset 0x300 (ICR low), write
    const d = decodeVmx(
      { ...base, exitQualification: 0x1300, instructionBytes: [0x89, 0x10] },
      { apicBase: 0xfec0_0000n },
    );
    expect(d.exit).toEqual(mmioWrite({ addr: 0xfec0_0300n, width: 4, data: 0xcccc_ddddn }));
  });
  it("is Nothing when the direction disagrees, the bytes do not decode or the type is not linear data", () => {
    // type 1 (write) but a load instruction
    expect(
      decodeVmx({ ...base, exitQualification: 0x10b0, instructionBytes: [0x8b, 0x00] }).exit,
    ).toEqual(nothing());
    expect(
      decodeVmx({ ...base, exitQualification: 0x10b0, instructionBytes: [0xab] }).exit,
    ).toEqual(nothing());
    // type 15 << 12 = guest-physical access
    expect(
      decodeVmx({ ...base, exitQualification: 0xf0b0, instructionBytes: [0x89, 0x10] }).exit,
    ).toEqual(nothing());
  });
  it("says in notMmio why an APIC access is not MMIO", () => {
    const why = (exitQualification: number, instructionBytes: number[]) =>
      decodeVmx({ ...base, exitQualification, instructionBytes }).cause;
    // type 1 (write) with a load: the directions disagree
    expect(why(0x10b0, [0x8b, 0x00])).toMatchObject({
      class: "apic-access",
      gpa: 0xfee0_00b0n,
      instruction: expect.objectContaining({ opcode: "8B" }),
      notMmio: "the instruction reads memory but the exit reports a write",
    });
    // AB = STOS: the MOV decoder names it
    expect(why(0x10b0, [0xab])).toMatchObject({ notMmio: expect.stringMatching(/AB \(STOS\)/) });
    // type 15: a guest-physical access, no APIC page address
    expect(why(0xf0b0, [0x89, 0x10])).toMatchObject({
      accessType: 15,
      gpa: undefined,
      notMmio: expect.stringMatching(/type 15 .* is not a linear data access/),
    });
  });
});
