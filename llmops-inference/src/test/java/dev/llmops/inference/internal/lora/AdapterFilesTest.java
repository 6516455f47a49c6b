package dev.llmops.inference.internal.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtLoraAdapter;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.NotFoundException;
import dev.llmops.inference.internal.onnx.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterFilesTest {

  private static final AdapterFile SAMPLE = new AdapterFile(7, 3, List.of(
      AdapterParameter.ofFloats("layers.0.q_proj.lora_A", new long[] {4, 2}, 1, 2, 3, 4, 5, 6, 7, 8),
      AdapterParameter.ofFloats("layers.0.q_proj.lora_B", new long[] {2, 3}, -1, -2, -3, 0.5f, 0.25f, 1e-7f),
      new AdapterParameter("half", DataType.FLOAT16, new long[] {3}, new byte[] {1, 2, 3, 4, 5, 6}),
      new AdapterParameter("ids", DataType.INT64, new long[] {1, 1}, new byte[] {9, 0, 0, 0, 0, 0, 0, 0}),
      AdapterParameter.ofFloats("scalar", new long[0], 2.5f),
      AdapterParameter.ofFloats("empty", new long[] {0, 4}),
      AdapterParameter.ofFloats("名前", new long[] {1}, 1)));

  @Test
  void aWrittenFileReadsBackEqualAndOnnxRuntimeLoadsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sample.onnx_adapter");

    AdapterFiles.write(SAMPLE, file);
    AdapterFile back = AdapterFiles.read(file);

    assertThat(back).isEqualTo(SAMPLE);
    assertThat(back.parameter("layers.0.q_proj.lora_B").orElseThrow().floats())
        .containsExactly(-1, -2, -3, 0.5f, 0.25f, 1e-7f);
    assertThat(back.adapterVersion()).isEqualTo(7);
    assertThat(back.modelVersion()).isEqualTo(3);
    try (OrtLoraAdapter fromPath = OrtLoraAdapter.create(file.toString());
        OrtLoraAdapter fromBytes = OrtLoraAdapter.create(Files.readAllBytes(file))) {
      assertThat(fromPath).isNotNull();
      assertThat(fromBytes).isNotNull();
    }
    assertThat(dir.toFile().list()).containsExactly("sample.onnx_adapter");
  }

  @Test
  void theLayoutFollowsTheFormat() {
    ByteBuffer bytes = ByteBuffer.wrap(AdapterFiles.toBytes(SAMPLE)).order(ByteOrder.LITTLE_ENDIAN);

    assertThat(new String(bytes.array(), 4, 4, StandardCharsets.US_ASCII)).isEqualTo("TORT");
    int table = bytes.getInt(0);
    int vtable = table - bytes.getInt(table);
    assertThat(bytes.getShort(vtable + 4)).as("format_version is stored").isNotZero();
    assertThat(bytes.getInt(table + bytes.getShort(vtable + 4))).isEqualTo(AdapterFiles.FORMAT_VERSION);
    assertThat(bytes.array().length % 8).isZero();
  }

  @Test
  void tensorDataStartsAtAMultipleOfEightBytes() {
    byte[] bytes = AdapterFiles.toBytes(AdapterFile.of(AdapterParameter.ofFloats("a", new long[] {1}, 1.5f),
        AdapterParameter.ofFloats("bb", new long[] {1}, 2.5f), AdapterParameter.ofFloats("ccc", new long[] {1}, 3.5f)));

    for (float value : new float[] {1.5f, 2.5f, 3.5f}) {
      byte[] pattern = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
      int at = indexOf(bytes, pattern);
      assertThat(at).as("data of %s", value).isPositive();
      assertThat(at % 8).as("offset %d of %s", at, value).isZero();
    }
  }

  /**
   * Flatbuffers' own builders write back to front: vtables after their tables, default fields left out, vtables
   * shorter than the schema. The reader must follow that as ONNX Runtime does; this buffer is built by hand that way.
   */
  @Test
  void aFileLaidOutAsFlatbuffersBuildersDoIsReadAndOnnxRuntimeAgrees() throws Exception {
    byte[] bytes = handmade(true);

    AdapterFile read = AdapterFiles.parse(bytes, "handmade");

    assertThat(read).isEqualTo(new AdapterFile(0, 0, List.of(AdapterParameter.ofFloats("s", new long[0], 2.5f))));
    try (OrtLoraAdapter loaded = OrtLoraAdapter.create(bytes)) {
      assertThat(loaded).isNotNull();
    }
  }

  @Test
  void aParameterWithoutDimsIsDamageThoughTheSchemaAllowsIt() {
    assertThatThrownBy(() -> AdapterFiles.parse(handmade(false), "nodims"))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("nodims")
        .hasMessageContaining("parameter 0 ('s') has no dims vector");
  }

  /**
   * An adapter with one FLOAT scalar parameter "s" = 2.5, laid out back to front; adapter_version and model_version
   * left out; dims, when present, an empty vector.
   */
  static byte[] handmade(boolean withDims) {
    ByteBuffer b = ByteBuffer.allocate(112).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 12).put(4, "TORT".getBytes(StandardCharsets.US_ASCII));
    // Adapter table at 12, its vtable after it at 32.
    b.putInt(12, 12 - 32).putInt(16, 1).putInt(20, 44 - 20);
    b.putShort(32, (short) 12).putShort(34, (short) 12).putShort(36, (short) 4).putShort(38, (short) 0)
        .putShort(40, (short) 0).putShort(42, (short) 8);
    b.putInt(44, 1).putInt(48, 52 - 48);
    // Parameter table at 52, its vtable at 72: name at +4, dims at +8, data_type at +12, raw_data at +16.
    b.putInt(52, 52 - 72).putInt(56, 84 - 56).putInt(64, DataType.FLOAT).putInt(68, 92 - 68);
    if (withDims) {
      b.putInt(60, 104 - 60);
    }
    b.putShort(72, (short) 12).putShort(74, (short) 20).putShort(76, (short) 4)
        .putShort(78, (short) (withDims ? 8 : 0)).putShort(80, (short) 12).putShort(82, (short) 16);
    b.putInt(84, 1).put(88, (byte) 's').put(89, (byte) 0);
    b.putInt(92, 4).putFloat(96, 2.5f);
    b.putInt(104, 0);
    return b.array();
  }

  @Test
  void everyTruncationIsReportedAsCorruptWithTheSource() {
    byte[] bytes = AdapterFiles.toBytes(SAMPLE);

    for (int length = 0; length < bytes.length; length++) {
      byte[] prefix = Arrays.copyOf(bytes, length);
      try {
        assertThat(AdapterFiles.parse(prefix, "cut")).as("a prefix of %d bytes", length).isEqualTo(SAMPLE);
        assertThat(length).as("only the trailing padding may go").isGreaterThan(bytes.length - 8);
      } catch (CorruptDataException e) {
        assertThat(e).hasMessageContaining("LoRA adapter file cut");
      }
    }
  }

  @Test
  void damagedBytesNeverEscapeAsAnythingButOurErrors() {
    byte[] bytes = AdapterFiles.toBytes(SAMPLE);
    int corrupt = 0;

    for (int at = 0; at < bytes.length; at++) {
      for (int flip : new int[] {0x01, 0x80, 0xff}) {
        byte[] damaged = bytes.clone();
        damaged[at] ^= (byte) flip;
        try {
          AdapterFiles.parse(damaged, "flipped");
        } catch (CorruptDataException | InvalidRequestException e) {
          assertThat(e).hasMessageContaining("flipped");
          corrupt++;
        }
      }
    }
    assertThat(corrupt).as("damage that is noticed").isPositive();
  }

  @Test
  void aFileOfAnotherKindIsNamedAndSaysWhatIsMissing(@TempDir Path dir) throws Exception {
    Path onnx = dir.resolve("model.onnx");
    Files.write(onnx, "\u0008\u0007\u0012\u0006llmops not an adapter".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> AdapterFiles.read(onnx))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(onnx.toString())
        .hasMessageContaining("identifier 'TORT'");
    assertThatThrownBy(() -> AdapterFiles.read(dir.resolve("missing.onnx_adapter")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("missing.onnx_adapter");
    assertThatThrownBy(() -> AdapterFiles.read(dir))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("directory");
  }

  @Test
  void anotherFormatVersionIsRefusedByNumber() {
    byte[] bytes = AdapterFiles.toBytes(SAMPLE);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int table = buffer.getInt(0);
    int vtable = table - buffer.getInt(table);
    buffer.putInt(table + buffer.getShort(vtable + 4), 2);

    assertThatThrownBy(() -> AdapterFiles.parse(bytes, "v2"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("the LoRA adapter file v2 has format version 2; this build reads version 1 (as ONNX Runtime 1.24"
            + " does)");
  }

  @Test
  void parametersAreCheckedWhenMade() {
    AdapterParameter a = AdapterParameter.ofFloats("a", new long[] {1}, 1);
    assertThatThrownBy(() -> AdapterFile.of(a, AdapterParameter.ofFloats("a", new long[] {1}, 2)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'a' appears twice");
    assertThatThrownBy(() -> AdapterParameter.ofFloats("b", new long[] {2, 2}, 1, 2, 3))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("needs 4 floats, got 3");
    assertThatThrownBy(() -> AdapterParameter.ofFloats("", new long[] {1}, 1))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("needs a name");
    assertThatThrownBy(() -> new AdapterParameter("c", DataType.FLOAT, new long[] {-1}, new byte[0]))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("negative dimension");
    assertThatThrownBy(() -> new AdapterParameter("d", 8, new long[] {1}, new byte[1]))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("STRING");
    assertThatThrownBy(() -> new AdapterParameter("e", DataType.FLOAT, new long[] {1}, new byte[3]))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("needs 4 bytes, got 3");
    assertThatThrownBy(() -> new AdapterParameter("f", DataType.INT64, new long[] {1}, new byte[8]).floats())
        .isInstanceOf(LlmOpsException.class).hasMessageContaining("INT64, not FLOAT");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
