// Runs x86 instructions that access an unmapped guest-physical address (or an I/O port) in a
// KVM guest, completes each access with a caller-chosen data pattern, and prints what KVM
// reported and the register file afterwards. Built and driven by kvm.test.ts.
//
// stdin, one case per line:
//   <mode 16|32|64> <code hex> <data hex> <rax rcx rdx rbx rsp rbp rsi rdi r8 … r15 rflags, hex>
// The code is placed at guest address 0x1000, followed by HLT; RIP starts at 0x1000.
// stdout, one line per case, space-separated tokens:
//   M:<gpa>:<len>:<write 0|1>:<data>                 a KVM_EXIT_MMIO (data: the store, or the fill)
//   I:<port>:<size>:<out 0|1>:<count>:<data>         a KVM_EXIT_IO
//   H:<rip>:<rflags>:<rax>:…:<r15>                   KVM_EXIT_HLT and the register file after it
//   X:<exit reason>:<detail>                         anything else (the case stops there)
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define RAM_SIZE 0xC000u /* guest RAM 0…0xBFFF; 0xC000 and up is unmapped (MMIO) */
#define CODE 0x1000u
#define PML4 0x2000u
#define PDPT 0x3000u
#define PD 0x4000u /* four page directories, 0x4000…0x7FFF: 4 GiB identity-mapped in 2 MiB pages */
#define GDT 0x8000u
#define TRAP 0x0F00u /* real-mode interrupt vectors all point here: a HLT at an unexpected RIP */
#define MAX_EXITS 8

static int vcpu;
static struct kvm_run *run;
static uint8_t *ram;

static void die(const char *what) {
  fprintf(stderr, "harness: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void seg(struct kvm_segment *s, uint16_t sel, uint8_t type, int mode) {
  memset(s, 0, sizeof *s);
  s->selector = sel;
  s->base = 0;
  s->limit = mode == 16 ? 0xFFFF : 0xFFFFFFFF;
  s->type = type;
  s->present = 1;
  s->s = 1;
  s->dpl = 0;
  s->db = mode == 32 || (mode == 64 && type < 8) ? 1 : 0;
  s->l = mode == 64 && type >= 8 ? 1 : 0;
  s->g = mode == 16 ? 0 : 1;
}

static struct kvm_sregs sregs_for(int mode, const struct kvm_sregs *base) {
  struct kvm_sregs s = *base;
  seg(&s.cs, mode == 16 ? 0 : 0x08, 0x0B, mode);
  seg(&s.ds, mode == 16 ? 0 : 0x10, 0x03, mode);
  s.es = s.fs = s.gs = s.ss = s.ds;
  s.fs.base = s.gs.base = 0;
  s.gdt.base = GDT;
  s.gdt.limit = 3 * 8 - 1;
  s.idt.base = 0;
  s.idt.limit = mode == 16 ? 0x3FF : 0; /* protected/long mode: any exception shuts down */
  s.cr0 = mode == 16 ? 0x10 : mode == 32 ? 0x11 : 0x80000011;
  s.cr3 = mode == 64 ? PML4 : 0;
  s.cr4 = mode == 64 ? 0x20 : 0;
  s.efer = mode == 64 ? 0x500 : 0;
  return s;
}

static void setup_memory(void) {
  memset(ram, 0, RAM_SIZE);
  uint64_t *pml4 = (uint64_t *)(ram + PML4), *pdpt = (uint64_t *)(ram + PDPT);
  pml4[0] = PDPT | 3;
  for (int i = 0; i < 4; i++) {
    pdpt[i] = (PD + 0x1000u * i) | 3;
    uint64_t *pd = (uint64_t *)(ram + PD + 0x1000u * i);
    for (int j = 0; j < 512; j++) pd[j] = ((uint64_t)(i * 512 + j) << 21) | 0x83;
  }
  uint64_t *gdt = (uint64_t *)(ram + GDT);
  gdt[1] = 0x00AF9B000000FFFFull; /* 64-bit code (the 32-bit cases use the cached descriptor) */
  gdt[2] = 0x00CF93000000FFFFull; /* flat data */
  for (int v = 0; v < 256; v++) {
    ram[4 * v] = TRAP & 0xFF;
    ram[4 * v + 1] = TRAP >> 8;
    ram[4 * v + 2] = ram[4 * v + 3] = 0;
  }
  ram[TRAP] = 0xF4;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int main(void) {
  int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (kvm < 0) die("open /dev/kvm");
  int vm = ioctl(kvm, KVM_CREATE_VM, 0);
  if (vm < 0) die("KVM_CREATE_VM");
  ioctl(vm, KVM_SET_TSS_ADDR, 0xFFFBD000ul); /* needed by VMX without unrestricted guest */
  ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (ram == MAP_FAILED) die("mmap");
  struct kvm_userspace_memory_region region = {
      .slot = 0, .guest_phys_addr = 0, .memory_size = RAM_SIZE, .userspace_addr = (uintptr_t)ram};
  if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) die("KVM_SET_USER_MEMORY_REGION");
  vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
  if (vcpu < 0) die("KVM_CREATE_VCPU");
  int nent = 256;
  struct kvm_cpuid2 *cpuid = calloc(1, sizeof *cpuid + nent * sizeof(struct kvm_cpuid_entry2));
  cpuid->nent = nent;
  if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid) < 0) die("KVM_GET_SUPPORTED_CPUID");
  if (ioctl(vcpu, KVM_SET_CPUID2, cpuid) < 0) die("KVM_SET_CPUID2");
  int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
  if (run == MAP_FAILED) die("mmap kvm_run");
  struct kvm_sregs base;
  if (ioctl(vcpu, KVM_GET_SREGS, &base) < 0) die("KVM_GET_SREGS");
  setup_memory();
  struct kvm_sregs modes[3] = {sregs_for(16, &base), sregs_for(32, &base), sregs_for(64, &base)};

  char line[1024];
  while (fgets(line, sizeof line, stdin)) {
    int mode;
    char code[128];
    unsigned long long data, r[17];
    int n = sscanf(line,
                   "%d %127s %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx %llx "
                   "%llx %llx %llx %llx %llx",
                   &mode, code, &data, &r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7],
                   &r[8], &r[9], &r[10], &r[11], &r[12], &r[13], &r[14], &r[15], &r[16]);
    if (n != 20 || (mode != 16 && mode != 32 && mode != 64)) {
      fprintf(stderr, "harness: bad case line: %s", line);
      return 2;
    }
    size_t len = strlen(code) / 2;
    for (size_t i = 0; i < len; i++)
      ram[CODE + i] = (uint8_t)(hexval(code[2 * i]) << 4 | hexval(code[2 * i + 1]));
    ram[CODE + len] = 0xF4;
    ram[CODE + len + 1] = 0xF4;

    struct kvm_sregs s = modes[mode == 16 ? 0 : mode == 32 ? 1 : 2];
    if (ioctl(vcpu, KVM_SET_SREGS, &s) < 0) die("KVM_SET_SREGS");
    struct kvm_regs regs = {0};
    regs.rax = r[0], regs.rcx = r[1], regs.rdx = r[2], regs.rbx = r[3];
    regs.rsp = r[4], regs.rbp = r[5], regs.rsi = r[6], regs.rdi = r[7];
    regs.r8 = r[8], regs.r9 = r[9], regs.r10 = r[10], regs.r11 = r[11];
    regs.r12 = r[12], regs.r13 = r[13], regs.r14 = r[14], regs.r15 = r[15];
    regs.rflags = r[16];
    regs.rip = CODE;
    if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0) die("KVM_SET_REGS");

    for (int exits = 0;; exits++) {
      if (exits == MAX_EXITS) {
        printf("X:too-many-exits:%d", exits);
        break;
      }
      if (ioctl(vcpu, KVM_RUN, 0) < 0) {
        printf("X:run-error:%d", errno);
        break;
      }
      if (run->exit_reason == KVM_EXIT_MMIO) {
        if (!run->mmio.is_write)
          for (unsigned i = 0; i < run->mmio.len && i < 8; i++) run->mmio.data[i] = data >> (8 * i);
        unsigned long long v = 0;
        for (int i = (int)run->mmio.len - 1; i >= 0; i--) v = v << 8 | run->mmio.data[i];
        printf("M:%llx:%u:%u:%llx ", (unsigned long long)run->mmio.phys_addr, run->mmio.len,
               run->mmio.is_write, v);
      } else if (run->exit_reason == KVM_EXIT_IO) {
        uint8_t *p = (uint8_t *)run + run->io.data_offset;
        int out = run->io.direction == KVM_EXIT_IO_OUT;
        if (!out)
          for (unsigned i = 0; i < run->io.size * run->io.count && i < 8; i++) p[i] = data >> (8 * i);
        unsigned long long v = 0;
        for (int i = (int)run->io.size - 1; i >= 0; i--) v = v << 8 | p[i];
        printf("I:%x:%u:%d:%u:%llx ", run->io.port, run->io.size, out, run->io.count, v);
      } else if (run->exit_reason == KVM_EXIT_HLT) {
        if (ioctl(vcpu, KVM_GET_REGS, &regs) < 0) die("KVM_GET_REGS");
        printf("H:%llx:%llx:%llx:%llx:%llx:%llx:%llx:%llx:%llx:%llx:%llx:%llx:%llx:%llx:%llx:%llx:"
               "%llx:%llx",
               regs.rip, regs.rflags, regs.rax, regs.rcx, regs.rdx, regs.rbx, regs.rsp, regs.rbp,
               regs.rsi, regs.rdi, regs.r8, regs.r9, regs.r10, regs.r11, regs.r12, regs.r13,
               regs.r14, regs.r15);
        break;
      } else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
        printf("X:internal-error:%u", run->internal.suberror);
        break;
      } else if (run->exit_reason == KVM_EXIT_FAIL_ENTRY) {
        printf("X:fail-entry:%llx",
               (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
        break;
      } else {
        printf("X:exit-%u:0", run->exit_reason);
        break;
      }
    }
    printf("\n");
    fflush(stdout);
  }
  return 0;
}
