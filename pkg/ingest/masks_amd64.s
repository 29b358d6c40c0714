#include "textflag.h"

// func masks64(p *byte, chunks int, delim byte, d *uint64, n *uint64)
//
// For each 64 bytes at p (chunks of them, at least one): a word in d with
// bit j set when byte j is delim, and one in n for '\n'.
TEXT ·masks64(SB), NOSPLIT, $0-40
	MOVQ p+0(FP), SI
	MOVQ chunks+8(FP), CX
	MOVBLZX delim+16(FP), AX
	MOVQ d+24(FP), DI
	MOVQ n+32(FP), DX
	MOVQ AX, X0
	VPBROADCASTB X0, Y0
	MOVQ $0x0a, AX
	MOVQ AX, X1
	VPBROADCASTB X1, Y1
	TESTQ CX, CX
	JZ done
loop:
	VMOVDQU (SI), Y2
	VMOVDQU 32(SI), Y3
	VPCMPEQB Y0, Y2, Y4
	VPCMPEQB Y0, Y3, Y5
	VPMOVMSKB Y4, AX
	VPMOVMSKB Y5, BX
	SHLQ $32, BX
	ORQ BX, AX
	MOVQ AX, (DI)
	VPCMPEQB Y1, Y2, Y4
	VPCMPEQB Y1, Y3, Y5
	VPMOVMSKB Y4, AX
	VPMOVMSKB Y5, BX
	SHLQ $32, BX
	ORQ BX, AX
	MOVQ AX, (DX)
	ADDQ $64, SI
	ADDQ $8, DI
	ADDQ $8, DX
	DECQ CX
	JNZ loop
done:
	VZEROUPPER
	RET
