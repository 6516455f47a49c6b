package dev.llmops.inference.internal.onnx;

/** The {@code TensorProto.DataType} values the editors use, with their names for messages. */
public final class DataType {
  public static final int UNDEFINED = 0;
  public static final int FLOAT = 1;
  public static final int UINT8 = 2;
  public static final int INT8 = 3;
  public static final int INT32 = 6;
  public static final int INT64 = 7;
  public static final int BOOL = 9;
  public static final int FLOAT16 = 10;
  public static final int DOUBLE = 11;

  private DataType() {}

  /** The ONNX name of {@code dataType}, such as {@code FLOAT16}, or {@code DataType(n)} for others. */
  public static String name(int dataType) {
    return switch (dataType) {
      case UNDEFINED -> "UNDEFINED";
      case FLOAT -> "FLOAT";
      case UINT8 -> "UINT8";
      case INT8 -> "INT8";
      case 4 -> "UINT16";
      case 5 -> "INT16";
      case INT32 -> "INT32";
      case INT64 -> "INT64";
      case 8 -> "STRING";
      case BOOL -> "BOOL";
      case FLOAT16 -> "FLOAT16";
      case DOUBLE -> "DOUBLE";
      case 12 -> "UINT32";
      case 13 -> "UINT64";
      case 16 -> "BFLOAT16";
      default -> "DataType(" + dataType + ")";
    };
  }

  /** The size of one element in bytes, or 0 when it is not a fixed-size type. */
  public static int byteSize(int dataType) {
    return switch (dataType) {
      case UINT8, INT8, BOOL -> 1;
      case 4, 5, FLOAT16, 16 -> 2;
      case FLOAT, INT32, 12 -> 4;
      case INT64, DOUBLE, 13 -> 8;
      default -> 0;
    };
  }
}
