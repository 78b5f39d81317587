#!/usr/bin/env python3
"""Writes pow5_tables.h: the powers of 5 that text.c's shortest formatter (Ryu,
Adams, PLDI 2018) multiplies by, each as two 64-bit halves of a 125-bit
number. POW5[i] is 5^i cut to its top 125 bits; POW5_INV[q] is
floor(2^(bitlength(5^q) - 1 + 125) / 5^q) + 1, a 125-bit reciprocal rounded
up. Exact integer arithmetic; run it again to check the committed file:
    python3 sim/lib/pow5_tables.py > sim/lib/pow5_tables.h
"""
BITS = 125
POW5_COUNT = 326      # i up to 325: the smallest subnormal's -e2 - q
POW5_INV_COUNT = 342  # q up to 341 (the largest double needs 291)

def halves(x):
    return (x & (2**64 - 1), x >> 64)

print("/* Made by pow5_tables.py: do not edit (see there). */")
print("#ifndef DOSESIM_POW5_TABLES_H")
print("#define DOSESIM_POW5_TABLES_H")
print("")
print("#include <stdint.h>")
print("")
print("#define POW5_BITS %d" % BITS)
print("#define POW5_INV_BITS %d" % BITS)
print("")
print("static const uint64_t POW5[%d][2] = {" % POW5_COUNT)
for i in range(POW5_COUNT):
    p = 5 ** i
    shift = p.bit_length() - BITS
    v = p >> shift if shift >= 0 else p << -shift
    lo, hi = halves(v)
    print("    {0x%016xu, 0x%016xu}," % (lo, hi))
print("};")
print("")
print("static const uint64_t POW5_INV[%d][2] = {" % POW5_INV_COUNT)
for q in range(POW5_INV_COUNT):
    p = 5 ** q
    j = p.bit_length() - 1 + BITS
    v = (1 << j) // p + 1
    lo, hi = halves(v)
    print("    {0x%016xu, 0x%016xu}," % (lo, hi))
print("};")
print("")
print("#endif")
