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

  it('Φ⁻¹ inverts Φ (up to x = 5: beyond it Φ(x) rounds too close to 1 to carry x back)', () => {
    fc.assert(fc.property(fc.double({ min: -7, max: 5, noNaN: true }), (x) => Math.abs(normalQuantile(normalCdf(x)) - x) < 1e-8));
  });

  it('is NaN outside [0, 1] and infinite at the ends', () => {
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.1)).toBeNaN();
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });
});
