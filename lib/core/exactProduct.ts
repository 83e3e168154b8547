/**
 * Error-free transformation of a product (Dekker 1971): the rounding error of `fl(a·b)`, exactly.
 *
 * @module
 * @since 0.1.0
 */

const SPLITTER = 134217729 // 2^27 + 1 (Veltkamp split)

/**
 * The exact rounding error of a floating-point product: for p = fl(a·b),
 *
 * $$e = a\,b - p \quad\text{exactly, so}\quad a\,b = p + e$$
 *
 * Method: Veltkamp's split of a and b into 26-bit halves (splitter 2²⁷ + 1) and Dekker's
 * `TwoProduct` without FMA: e = a_h b_h − p + a_h b_l + a_l b_h + a_l b_l, every partial product
 * exact. Exact when neither |a| nor |b| exceeds about 2⁹⁹⁶ (the split overflows beyond) and no
 * partial product underflows; NaN in gives NaN out. The pricing kernels use it to carry ln(F/K)
 * and x/s to about 2⁻¹⁰⁶ relative.
 *
 * Reference: T. J. Dekker (1971), "A floating-point technique for extending the available
 * precision", Numerische Mathematik 18(3), 224–242, doi:10.1007/BF01397083, §5 (mul12); S. M. Rump,
 * T. Ogita, S. Oishi (2005), "Accurate floating-point summation", Algorithm 3.3 (TwoProduct).
 *
 * Verified by spec/core/exactProduct.spec.ts (against BigInt exact products).
 *
 * @example
 * {@includeCode ../../spec/core/exactProduct.spec.ts#example}
 * // e = 1.6653345369377347e-18: the product of the doubles 0.1 and 0.3 is fl(0.1·0.3) + e exactly
 *
 * @category kernels
 * @since 0.1.0
 */
export const productError = (a: number, b: number, p: number): number => {
  let c = SPLITTER * a
  const ah = c - (c - a)
  const al = a - ah
  c = SPLITTER * b
  const bh = c - (c - b)
  const bl = b - bh
  return ah * bh - p + ah * bl + al * bh + al * bl
}
