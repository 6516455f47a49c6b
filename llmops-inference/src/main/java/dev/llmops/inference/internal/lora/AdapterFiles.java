package dev.llmops.inference.internal.lora;

import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes ONNX Runtime's LoRA adapter files ({@code .onnx_adapter}), the flatbuffers format of
 * {@code onnxruntime/lora/adapter_format/adapter_schema.fbs} (file identifier {@code TORT}, format version 1) that
 * Python writes with {@code onnxruntime.AdapterFormat} and ONNX Runtime loads with {@code OrtLoraAdapter}.
 *
 * <p>The few flatbuffers tables are encoded by hand. The writer lays the buffer out front to back (every offset
 * points forward, as flatbuffers requires) and aligns each tensor's data to 8 bytes, as the schema's
 * {@code force_align: 8} asks, so ONNX Runtime can use the data in place. The reader follows offsets wherever they
 * point, so it also reads files written by flatbuffers' own builders, and checks every offset and length against
 * the buffer, so a damaged file fails with {@link CorruptDataException} instead of reading garbage. It also rejects
 * what the schema allows but ONNX Runtime 1.24 cannot take: a parameter without a {@code dims} vector crashes the
 * process inside {@code OrtLoraAdapter.create}, so read a file here before ONNX Runtime sees it
 * ({@link OrtAdapters#load} does both).
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * AdapterFile adapter = AdapterFile.of(
 *     AdapterParameter.ofFloats("lora_A", new long[] {4, 2}, a),
 *     AdapterParameter.ofFloats("lora_B", new long[] {2, 3}, b));
 * AdapterFiles.write(adapter, dir.resolve("support.onnx_adapter"));
 * AdapterFile back = AdapterFiles.read(dir.resolve("support.onnx_adapter")); // equals adapter
 * }</pre>
 */
public final class AdapterFiles {
  /** The format version this class writes and the only one ONNX Runtime 1.24 accepts. */
  public static final int FORMAT_VERSION = 1;

  /** The flatbuffers file identifier of adapter files, at bytes 4 to 8. */
  static final byte[] IDENTIFIER = "TORT".getBytes(StandardCharsets.US_ASCII);

  // Field indexes in the vtables (declaration order in adapter_schema.fbs).
  private static final int ADAPTER_FORMAT_VERSION = 0;
  private static final int ADAPTER_ADAPTER_VERSION = 1;
  private static final int ADAPTER_MODEL_VERSION = 2;
  private static final int ADAPTER_PARAMETERS = 3;
  private static final int PARAMETER_NAME = 0;
  private static final int PARAMETER_DIMS = 1;
  private static final int PARAMETER_DATA_TYPE = 2;
  private static final int PARAMETER_RAW_DATA = 3;

  private AdapterFiles() {}

  /**
   * Encodes {@code adapter} as an adapter file.
   *
   * @throws InvalidRequestException when the adapter is too large for one buffer (2 GiB)
   */
  public static byte[] toBytes(AdapterFile adapter) {
    long total = 64;
    for (AdapterParameter p : adapter.parameters()) {
      total += 64 + p.name().length() * 3L + p.dims().length * 8L + p.rawData().length;
    }
    if (total > Integer.MAX_VALUE - 64) {
      throw new InvalidRequestException("the LoRA adapter is too large for one adapter file: about " + total
          + " bytes, at most 2 GiB");
    }
    Writer out = new Writer();
    out.u32(0); // root offset, patched below
    out.bytes(IDENTIFIER);

    // Adapter: vtable, then the table it describes.
    int vtable = out.align(2);
    out.u16(4 + 2 * 4).u16(4 + 4 * 4).u16(4).u16(8).u16(12).u16(16);
    int table = out.align(4);
    out.patchU32(0, table);
    out.i32(table - vtable);
    out.i32(FORMAT_VERSION).i32(adapter.adapterVersion()).i32(adapter.modelVersion());
    int parametersField = out.position();
    out.u32(0);

    int vector = out.align(4);
    out.patchU32(parametersField, vector - parametersField);
    List<AdapterParameter> parameters = adapter.parameters();
    out.u32(parameters.size());
    int slots = out.position();
    for (int i = 0; i < parameters.size(); i++) {
      out.u32(0);
    }
    for (int i = 0; i < parameters.size(); i++) {
      AdapterParameter p = parameters.get(i);
      int pVtable = out.align(2);
      out.u16(4 + 2 * 4).u16(4 + 4 * 4).u16(4).u16(8).u16(12).u16(16);
      int pTable = out.align(4);
      int slot = slots + 4 * i;
      out.patchU32(slot, pTable - slot);
      out.i32(pTable - pVtable);
      int nameField = out.position();
      out.u32(0);
      int dimsField = out.position();
      out.u32(0);
      out.i32(p.dataType());
      int rawField = out.position();
      out.u32(0);

      byte[] name = p.name().getBytes(StandardCharsets.UTF_8);
      int string = out.align(4);
      out.patchU32(nameField, string - nameField);
      out.u32(name.length).bytes(name).u8(0);

      long[] dims = p.dims();
      int dimsVector = out.alignForData(8);
      out.patchU32(dimsField, dimsVector - dimsField);
      out.u32(dims.length);
      for (long dim : dims) {
        out.i64(dim);
      }

      byte[] raw = p.rawData();
      int rawVector = out.alignForData(8);
      out.patchU32(rawField, rawVector - rawField);
      out.u32(raw.length).bytes(raw);
    }
    out.align(8);
    return out.toByteArray();
  }

  /**
   * Writes {@code adapter} to {@code file}, replacing it: the bytes go to a temporary file beside it that is then
   * moved into place (atomically where the file system can), so a reader never sees half a file.
   *
   * @throws InvalidRequestException as {@link #toBytes}
   * @throws UnavailableException when the file cannot be written
   */
  public static void write(AdapterFile adapter, Path file) {
    byte[] bytes = toBytes(adapter);
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, absolute.getFileName() + ".", ".tmp");
      Files.write(temp, bytes);
      try {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new UnavailableException("cannot write the LoRA adapter file " + file + ": " + e, null, e);
    }
  }

  /**
   * Reads the adapter file {@code file}.
   *
   * @throws NotFoundException when there is no such file
   * @throws CorruptDataException when the file is not an adapter file or is damaged (the message names the file)
   * @throws InvalidRequestException when the file is a directory, over 2 GiB, or of a format version other than
   *     {@value #FORMAT_VERSION}
   * @throws UnavailableException when the file cannot be read
   */
  public static AdapterFile read(Path file) {
    return parse(readBytes(file), file.toString());
  }

  /** The bytes of {@code file}, with {@link #read}'s errors for a missing, unreadable or unsuitable file. */
  static byte[] readBytes(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new InvalidRequestException("expected a LoRA adapter file, got the directory " + file);
      }
      if (Files.size(file) > Integer.MAX_VALUE - 16) {
        throw new InvalidRequestException("the LoRA adapter file " + file + " is over 2 GiB");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("no LoRA adapter file at " + file, e);
    } catch (IOException e) {
      throw new UnavailableException("cannot read the LoRA adapter file " + file + ": " + e, null, e);
    }
  }

  /**
   * Parses an adapter file from {@code bytes}; the result copies what it needs.
   *
   * @param source names the bytes in error messages, such as the file they came from
   * @throws CorruptDataException when the bytes are not an adapter file or are damaged
   * @throws InvalidRequestException when the format version is not {@value #FORMAT_VERSION}
   */
  public static AdapterFile parse(byte[] bytes, String source) {
    Reader in = new Reader(bytes, source);
    if (bytes.length < 8 || !Arrays.equals(bytes, 4, 8, IDENTIFIER, 0, 4)) {
      throw new CorruptDataException("the LoRA adapter file " + source + " (" + bytes.length
          + " bytes) is not an ONNX Runtime adapter file: it does not carry the identifier 'TORT' at bytes 4-8",
          null);
    }
    int root = in.offsetAt(0, "root table");
    Table adapter = in.table(root, "Adapter");
    int formatVersion = adapter.i32(ADAPTER_FORMAT_VERSION);
    if (formatVersion != FORMAT_VERSION) {
      throw new InvalidRequestException("the LoRA adapter file " + source + " has format version " + formatVersion
          + "; this build reads version " + FORMAT_VERSION + " (as ONNX Runtime 1.24 does)");
    }
    int adapterVersion = adapter.i32(ADAPTER_ADAPTER_VERSION);
    int modelVersion = adapter.i32(ADAPTER_MODEL_VERSION);
    List<AdapterParameter> parameters = new ArrayList<>();
    int vector = adapter.offset(ADAPTER_PARAMETERS, "parameters");
    if (vector < 0) {
      throw in.corrupt("the adapter has no parameters vector (ONNX Runtime refuses such a file)", root);
    }
    int count = in.vectorLength(vector, 4, "parameters");
    for (int i = 0; i < count; i++) {
      int slot = vector + 4 + 4 * i;
      parameters.add(parameter(in, in.table(in.offsetAt(slot, "parameter " + i), "parameter " + i), i));
    }
    try {
      return new AdapterFile(adapterVersion, modelVersion, parameters);
    } catch (InvalidRequestException e) {
      throw new CorruptDataException("the LoRA adapter file " + source + " is invalid: " + e.getMessage(), e);
    }
  }

  private static AdapterParameter parameter(Reader in, Table table, int index) {
    String what = "parameter " + index;
    int nameAt = table.offset(PARAMETER_NAME, what + " name");
    if (nameAt < 0) {
      throw in.corrupt(what + " has no name", table.position);
    }
    String name = in.string(nameAt, what + " name");
    what = "parameter " + index + " ('" + name + "')";
    // ONNX Runtime 1.24 dereferences both vectors without checking: a file without dims crashes the process
    // (OrtAdaptersTest pins it in a child JVM), so their absence is damage here, though the schema allows it.
    int dimsAt = table.offset(PARAMETER_DIMS, what + " dims");
    if (dimsAt < 0) {
      throw in.corrupt(what + " has no dims vector (a scalar has an empty one)", table.position);
    }
    int rank = in.vectorLength(dimsAt, 8, what + " dims");
    long[] dims = new long[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = in.i64(dimsAt + 4 + 8 * i);
    }
    int dataType = table.i32(PARAMETER_DATA_TYPE);
    int rawAt = table.offset(PARAMETER_RAW_DATA, what + " raw_data");
    if (rawAt < 0) {
      throw in.corrupt(what + " has no raw_data vector", table.position);
    }
    int length = in.vectorLength(rawAt, 1, what + " raw_data");
    byte[] raw = Arrays.copyOfRange(in.bytes, rawAt + 4, rawAt + 4 + length);
    try {
      return new AdapterParameter(name, dataType, dims, raw);
    } catch (InvalidRequestException e) {
      throw new CorruptDataException("the LoRA adapter file " + in.source + " is invalid: " + e.getMessage(), e);
    }
  }

  /** A bounds-checked little-endian view of a flatbuffer. */
  private static final class Reader {
    final byte[] bytes;
    final String source;

    Reader(byte[] bytes, String source) {
      this.bytes = bytes;
      this.source = source;
    }

    CorruptDataException corrupt(String what, int at) {
      return new CorruptDataException("the LoRA adapter file " + source + " (" + bytes.length + " bytes) is damaged: "
          + what + " (at byte " + at + ")", null);
    }

    void need(int at, int length, String what) {
      if (at < 0 || length < 0 || (long) at + length > bytes.length) {
        throw corrupt(what + " runs past the end of the file", at);
      }
    }

    int u16(int at, String what) {
      need(at, 2, what);
      return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
    }

    int i32(int at, String what) {
      need(at, 4, what);
      return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | bytes[at + 3] << 24;
    }

    long i64(int at) {
      return (i32(at, "an int64") & 0xffffffffL) | (long) i32(at + 4, "an int64") << 32;
    }

    /** The position an unsigned offset stored at {@code at} points to. */
    int offsetAt(int at, String what) {
      long target = at + (i32(at, what) & 0xffffffffL);
      if (target >= bytes.length) {
        throw corrupt("the offset of the " + what + " points past the end of the file", at);
      }
      return (int) target;
    }

    Table table(int at, String what) {
      if ((at & 3) != 0) {
        throw corrupt("the " + what + " table is not aligned to 4 bytes", at);
      }
      long vtable = (long) at - i32(at, what + " table");
      if (vtable < 0 || vtable > bytes.length - 4 || (vtable & 1) != 0) {
        throw corrupt("the " + what + " table has a bad vtable offset", at);
      }
      int vtableSize = u16((int) vtable, what + " vtable");
      int tableSize = u16((int) vtable + 2, what + " vtable");
      if (vtableSize < 4 || (vtableSize & 1) != 0 || tableSize < 4) {
        throw corrupt("the " + what + " vtable has bad sizes " + vtableSize + " and " + tableSize, (int) vtable);
      }
      need((int) vtable, vtableSize, what + " vtable");
      need(at, tableSize, what + " table");
      return new Table(this, at, (int) vtable, vtableSize, tableSize, what);
    }

    int vectorLength(int at, int elementSize, String what) {
      if ((at & 3) != 0) {
        throw corrupt("the " + what + " vector is not aligned to 4 bytes", at);
      }
      long length = i32(at, what + " length") & 0xffffffffL;
      if (at + 4 + length * elementSize > bytes.length) {
        throw corrupt("the " + what + " vector of " + length + " elements runs past the end of the file", at);
      }
      return (int) length;
    }

    String string(int at, String what) {
      int length = vectorLength(at, 1, what);
      need(at + 4, length + 1, what);
      if (bytes[at + 4 + length] != 0) {
        throw corrupt("the " + what + " string is not terminated", at);
      }
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes, at + 4, length)).toString();
      } catch (CharacterCodingException e) {
        throw corrupt("the " + what + " is not UTF-8", at);
      }
    }
  }

  /** A flatbuffers table: fields found through its vtable, absent fields at their default. */
  private static final class Table {
    final Reader in;
    final int position;
    final int vtable;
    final int vtableSize;
    final int tableSize;
    final String what;

    Table(Reader in, int position, int vtable, int vtableSize, int tableSize, String what) {
      this.in = in;
      this.position = position;
      this.vtable = vtable;
      this.vtableSize = vtableSize;
      this.tableSize = tableSize;
      this.what = what;
    }

    /** The position of field {@code index} in the buffer, or -1 when the field is absent. */
    private int field(int index, int size) {
      int entry = 4 + 2 * index;
      if (entry + 2 > vtableSize) {
        return -1;
      }
      int offset = in.u16(vtable + entry, what + " vtable");
      if (offset == 0) {
        return -1;
      }
      if (offset + size > tableSize) {
        throw in.corrupt("field " + index + " of the " + what + " table lies outside the table", position);
      }
      return position + offset;
    }

    int i32(int index) {
      int at = field(index, 4);
      return at < 0 ? 0 : in.i32(at, what);
    }

    /** Where the offset field {@code index} points, or -1 when it is absent. */
    int offset(int index, String fieldName) {
      int at = field(index, 4);
      return at < 0 ? -1 : in.offsetAt(at, fieldName);
    }
  }

  /** A growing little-endian buffer written front to back. */
  private static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<int[]> patches = new ArrayList<>();

    int position() {
      return out.size();
    }

    /** Pads with zeros to a multiple of {@code alignment}; returns the new position. */
    int align(int alignment) {
      while (out.size() % alignment != 0) {
        out.write(0);
      }
      return out.size();
    }

    /** Pads so that a vector's elements (after its 4-byte length) start at a multiple of {@code alignment}. */
    int alignForData(int alignment) {
      while ((out.size() + 4) % alignment != 0) {
        out.write(0);
      }
      return out.size();
    }

    Writer u8(int value) {
      out.write(value);
      return this;
    }

    Writer u16(int value) {
      out.write(value);
      out.write(value >>> 8);
      return this;
    }

    Writer i32(int value) {
      out.write(value);
      out.write(value >>> 8);
      out.write(value >>> 16);
      out.write(value >>> 24);
      return this;
    }

    Writer u32(int value) {
      return i32(value);
    }

    Writer i64(long value) {
      i32((int) value);
      return i32((int) (value >>> 32));
    }

    Writer bytes(byte[] values) {
      out.write(values, 0, values.length);
      return this;
    }

    void patchU32(int at, int value) {
      patches.add(new int[] {at, value});
    }

    byte[] toByteArray() {
      byte[] patched = out.toByteArray();
      for (int[] patch : patches) {
        int at = patch[0];
        int value = patch[1];
        patched[at] = (byte) value;
        patched[at + 1] = (byte) (value >>> 8);
        patched[at + 2] = (byte) (value >>> 16);
        patched[at + 3] = (byte) (value >>> 24);
      }
      return patched;
    }
  }
}
