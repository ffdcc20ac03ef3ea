import fc from 'fast-check';
import { normalCdf, normalQuantile } from '../../src';

// Reference values: scipy.stats.norm 1.17 (cdf / ppf).
describe('standard normal', () => {
  it.each([
    [-8, 6.22096057427174e-16],
    [-5, 2.866515718791933e-7],
    [-1.96, 0.024997895148220435],
    [0, 0.5],
    [0.5, 0.6914624612740131],
    [2.4, 0.9918024640754038],
    [3, 0.9986501019683699],
  ])('Φ(%p) = %p to 13 significant digits, tails included', (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected) / expected).toBeLessThan(1e-13);
  });

  it.each([
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.025, -1.9599639845400545],
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.99, 2.3263478740408408],
    [0.999999, 4.753424308817087],
  ])('Φ⁻¹(%p) = %p', (p, expected) => {
    expect(normalQuantile(p)).toBeCloseTo(expected, 12);
  });

  it('Φ⁻¹ of a subnormal p is finite and exact (mpmath: Φ⁻¹(9.99988867e-321) = −38.269125343032651)', () => {
    // 1e-320 is stored as the subnormal 9.99988867182683e-321; e^(x²/2) overflows there: the old Halley step gave NaN.
    expect(normalQuantile(1e-320)).toBeCloseTo(-38.269125343032651, 12);
    expect(normalQuantile(5e-324)).toBeCloseTo(-38.467405617144346, 12); // the smallest double
    expect(normalQuantile(1e-300)).toBeCloseTo(-37.047096299361199, 12);
  });

  it('Φ⁻¹ is accurate relative to Φ all the way down the lower tail', () => {
    // Φ(Φ⁻¹(p)) = p to 1e-12 relative, for p from 1e-300 (Φ itself is accurate there) to 1/2.
    fc.assert(
      fc.property(fc.double({ min: -300, max: Math.log10(0.5), noNaN: true }), (e) => {
        const p = 10 ** e;
        return Math.abs(normalCdf(normalQuantile(p)) / p - 1) < 1e-12;
      }),
    );
    // where erfc's series used to cancel (x ≈ 2.5, Φ ≈ 2e-4): 2.7e-12 before the switch moved to 1.5
    expect(Math.abs(normalCdf(normalQuantile(0.00020820441724530008)) / 0.00020820441724530008 - 1)).toBeLessThan(
      1e-13,
    );
  });

  it('Φ⁻¹ inverts Φ (up to x = 5: beyond it Φ(x) rounds too close to 1 to carry x back)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -7, max: 5, noNaN: true }),
        (x) => Math.abs(normalQuantile(normalCdf(x)) - x) < 1e-8,
      ),
    );
  });

  it('is NaN outside [0, 1] and infinite at the ends', () => {
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.1)).toBeNaN();
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });
});
