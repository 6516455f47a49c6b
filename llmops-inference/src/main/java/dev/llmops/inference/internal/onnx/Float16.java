package dev.llmops.inference.internal.onnx;

/** IEEE 754 half precision conversions (Java 17 has no {@code Float.floatToFloat16}). */
public final class Float16 {

  /** The largest finite half: 65504. */
  public static final float MAX_FINITE = 65504f;

  /** The smallest positive (subnormal) half: 2^-24. */
  public static final float MIN_POSITIVE = 0x1.0p-24f;

  private Float16() {}

  /** {@code value} rounded to the nearest half (ties to even); out-of-range values become infinite. */
  public static short fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) { // infinity or NaN (kept quiet)
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent <= 0) { // subnormal half, or zero
      if (halfExponent < -10) {
        return (short) sign;
      }
      int full = mantissa | 0x800000;
      int shift = 14 - halfExponent;
      int half = full >>> shift;
      int rest = full & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
        half++;
      }
      return (short) (sign | half);
    }
    int result = sign | (halfExponent << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (result & 1) != 0)) {
      result++; // a carry into the exponent is the right answer, up to infinity
    }
    return (short) result;
  }

  /**
   * {@code value} clamped into the finite range of half precision, then rounded: magnitudes above 65504 become
   * 65504 and non-zero magnitudes below 2^-24 become 2^-24, so that a large mask constant stays finite and a small
   * epsilon does not vanish. Infinities and NaN are kept.
   */
  public static short fromFloatClamped(float value) {
    float magnitude = Math.abs(value);
    if (magnitude > MAX_FINITE && magnitude != Float.POSITIVE_INFINITY) {
      return fromFloat(Math.copySign(MAX_FINITE, value));
    }
    if (magnitude > 0 && magnitude < MIN_POSITIVE) {
      return fromFloat(Math.copySign(MIN_POSITIVE, value));
    }
    return fromFloat(value);
  }

  /** The float value of the half {@code bits}. */
  public static float toFloat(short bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0) {
      float magnitude = mantissa * MIN_POSITIVE;
      return sign != 0 ? -magnitude : magnitude;
    }
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }
}
