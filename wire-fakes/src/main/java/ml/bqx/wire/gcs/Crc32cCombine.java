package ml.bqx.wire.gcs;

import java.util.Base64;

/**
 * The CRC32C of a concatenation from the CRC32Cs of its pieces and their lengths, as zlib's {@code
 * crc32_combine} does it (multiplying by x^(8n) in GF(2) by repeated squaring of the shift
 * operator), with CRC32C's reflected polynomial 0x82F63B78 in place of CRC-32's. GCS keeps a CRC32C
 * for a composite object computed this way ("Cloud Storage uses CRC32C for integrity checking each
 * source object at upload time and for allowing the caller to perform an integrity check of the
 * resulting composite object"; "CRC32C is an error detecting code that can be efficiently
 * calculated from the CRC32C values of its components",
 * cloud.google.com/storage/docs/composite-objects).
 */
final class Crc32cCombine {
  private static final long POLYNOMIAL = 0x82F63B78L;

  private Crc32cCombine() {}

  /** The CRC32C of A then B, from CRC32C(A), CRC32C(B) and B's length. */
  static long combine(long first, long second, long secondLength) {
    if (secondLength <= 0) {
      return first;
    }
    long[] even = new long[32];
    long[] odd = new long[32];
    odd[0] = POLYNOMIAL;
    long row = 1;
    for (int n = 1; n < 32; n++) {
      odd[n] = row;
      row <<= 1;
    }
    square(even, odd); // two zero bits
    square(odd, even); // four zero bits
    long crc = first;
    long length = secondLength;
    do {
      square(even, odd);
      if ((length & 1) != 0) {
        crc = times(even, crc);
      }
      length >>= 1;
      if (length == 0) {
        break;
      }
      square(odd, even);
      if ((length & 1) != 0) {
        crc = times(odd, crc);
      }
      length >>= 1;
    } while (length != 0);
    return crc ^ second;
  }

  /** GCS's form: the four bytes of the CRC32C, big-endian, in base64. */
  static long parse(String base64) {
    byte[] bytes = Base64.getDecoder().decode(base64);
    long value = 0;
    for (byte b : bytes) {
      value = (value << 8) | (b & 0xFF);
    }
    return value;
  }

  private static long times(long[] matrix, long vector) {
    long sum = 0;
    for (int i = 0; vector != 0; i++, vector >>>= 1) {
      if ((vector & 1) != 0) {
        sum ^= matrix[i];
      }
    }
    return sum;
  }

  private static void square(long[] square, long[] matrix) {
    for (int n = 0; n < 32; n++) {
      square[n] = times(matrix, matrix[n]);
    }
  }
}
