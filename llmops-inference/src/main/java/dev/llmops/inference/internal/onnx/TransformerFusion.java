package dev.llmops.inference.internal.onnx;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Fuses the self-attention of BERT-style encoders into ONNX Runtime's {@code com.microsoft:Attention} operator, which
 * ONNX Runtime's own optimizer does not do for the usual PyTorch exports (their dynamic {@code Shape -> Gather ->
 * Concat -> Reshape} head splits and {@code (1 - mask) * min_float} extended mask defeat its pattern matcher).
 *
 * <p>Per layer, the pass matches, walking back and forth from each {@code Softmax}:
 *
 * <pre>
 *   q = Reshape(Add(MatMul(x, Wq), bq), [B, S, N, h]) -> Transpose(0, 2, 1, 3)
 *   k = Reshape(Add(MatMul(x, Wk), bk), [B, S, N, h]) -> Transpose(0, 2, 3, 1)
 *   v = Reshape(Add(MatMul(x, Wv), bv), [B, S, N, h]) -> Transpose(0, 2, 1, 3)
 *   p = Softmax(Add(Div(MatMul(q, k), d), (1 - Cast(Unsqueeze(mask, [1, 2]))) * c), last axis)
 *   y = Reshape(Transpose(MatMul(p, v), 0, 2, 1, 3), [B, S, N * h])
 * </pre>
 *
 * <p>with constant float {@code W*} ({@code [H_in, N * h]}) and {@code b*} ({@code [N * h]}), {@code mask} a
 * {@code [B, S]} int32 or int64 graph input, {@code d} a positive scalar (or {@code Mul} by a scalar), and replaces it
 * with {@code y = Attention(x, [Wq | Wk | Wv], [bq | bk | bv], Cast<int32>(mask))} with {@code num_heads = N},
 * {@code scale = 1 / d} and {@code mask_filter_value = c}. The Attention kernel adds {@code mask_filter_value} to the
 * scores of keys whose mask is 0 and nothing where it is positive, which is what {@code (1 - mask) * c} adds for a
 * 0/1 mask (the only kind tokenizers produce). The output projection after {@code y} stays as it is.
 *
 * <p>A layer whose pattern differs in any way (another op, another permutation, a non-constant weight, an
 * intermediate value read elsewhere) is left unchanged, as is every graph holding subgraphs. Nodes and initializers
 * the fused layers no longer need (shape arithmetic, the float mask, the separate weights) are removed; nodes that were
 * already dead in the input stay. Stateless and thread-safe.
 */
public final class TransformerFusion {

  /** The domain of ONNX Runtime's contrib operators. */
  public static final String MS_DOMAIN = "com.microsoft";

  /**
   * The outcome of a fusion.
   *
   * @param model the fused model, or the input model itself when nothing was fused
   * @param candidates the number of {@code Softmax} nodes examined
   * @param fused the number of self-attention blocks replaced by an {@code Attention} node
   * @param skipped why each candidate that was not fused was left alone, one line each
   */
  public record Result(OnnxModel model, int candidates, int fused, List<String> skipped) {

    /** Copies the list. */
    public Result {
      skipped = List.copyOf(skipped);
    }
  }

  /** What one matched layer needs for its Attention node. */
  private record Match(String input, String wq, String wk, String wv, String bq, String bk, String bv, int heads,
      int headSize, int inputHidden, float scale, String mask, float maskFilter, String output,
      Set<OnnxNode> removed, OnnxNode anchor) {}

  /** Thrown internally when a layer does not match; the message says where. */
  private static final class NoMatch extends Exception {
    private static final long serialVersionUID = 1L;

    NoMatch(String message) {
      super(message, null, false, false);
    }
  }

  private TransformerFusion() {}

  /** Fuses every matching self-attention block of {@code model}; returns the model unchanged when none matches. */
  public static Result fuseAttention(OnnxModel model) {
    OnnxGraph graph = model.graph();
    List<String> skipped = new ArrayList<>();
    List<String> softmaxOutputs = graph.nodes().stream().filter(n -> n.is("Softmax") && n.outputs().size() == 1)
        .map(n -> n.outputs().get(0)).toList();
    if (softmaxOutputs.isEmpty()) {
      return new Result(model, 0, 0, List.of());
    }
    if (graph.hasSubgraphs()) {
      return new Result(model, softmaxOutputs.size(), 0, List.of("the graph holds subgraphs; not fused"));
    }
    long opset = model.opsetVersion(OpsetId.DEFAULT_DOMAIN).orElse(1);
    Set<OnnxNode> initiallyDead = deadNodes(graph);
    Set<String> initiallyRead = graph.namesRead();
    UniqueNames names = new UniqueNames(graph);
    Map<String, String> int32Masks = new HashMap<>();
    List<TensorProto> added = new ArrayList<>();
    OnnxGraph current = graph;
    int fused = 0;
    for (String softmaxOutput : softmaxOutputs) {
      Index index = new Index(current);
      OnnxNode softmax = index.producer(softmaxOutput);
      Match match;
      try {
        if (softmax == null) {
          throw new NoMatch("the Softmax is gone");
        }
        match = match(softmax, index, opset);
      } catch (NoMatch e) {
        skipped.add(softmaxOutput + ": " + e.getMessage());
        continue;
      }
      List<TensorProto> packed;
      try {
        packed = pack(match, index, names);
      } catch (IllegalStateException e) {
        skipped.add(softmaxOutput + ": " + e.getMessage());
        continue;
      }
      List<OnnxNode> nodes = new ArrayList<>();
      String mask = int32Masks.get(match.mask());
      OnnxNode cast = null;
      if (mask == null) {
        if (index.inputType(match.mask()) == DataType.INT32) {
          mask = match.mask();
        } else {
          mask = names.claim(match.mask() + "_int32");
          cast = new OnnxNode(List.of(match.mask()), List.of(mask), names.claim(mask + "_Cast"), "Cast",
              List.of(OnnxAttribute.of("to", (long) DataType.INT32)), null, null, RawFields.none());
          nodes.add(cast);
        }
      }
      OnnxNode attention = new OnnxNode(
          List.of(match.input(), packed.get(0).nameOrEmpty(), packed.get(1).nameOrEmpty(), mask),
          List.of(match.output()), names.claim(layerName(softmax) + "Attention"), "Attention",
          List.of(OnnxAttribute.of("num_heads", (long) match.heads()), OnnxAttribute.of("scale", match.scale()),
              OnnxAttribute.of("mask_filter_value", match.maskFilter())),
          null, MS_DOMAIN, RawFields.none());
      for (OnnxNode node : current.nodes()) {
        if (node == match.anchor()) {
          nodes.add(attention);
        } else if (!match.removed().contains(node)) {
          nodes.add(node);
        }
      }
      List<TensorProto> initializers = new ArrayList<>(current.initializers());
      initializers.addAll(packed);
      OnnxGraph candidate = removeDead(current.withNodes(nodes).withInitializers(initializers), initiallyDead);
      String broken = firstUndefined(candidate);
      if (broken != null) {
        skipped.add(softmaxOutput + ": a value of the block is read outside it (" + broken + ")");
        continue;
      }
      current = candidate;
      added.addAll(packed);
      if (cast != null) {
        int32Masks.put(match.mask(), mask);
      }
      fused++;
    }
    if (fused == 0) {
      return new Result(model, softmaxOutputs.size(), 0, skipped);
    }
    Set<String> read = current.namesRead();
    List<TensorProto> kept = current.initializers().stream()
        .filter(t -> read.contains(t.nameOrEmpty()) || !initiallyRead.contains(t.nameOrEmpty())).toList();
    Set<String> present = new HashSet<>(current.inputNames());
    kept.forEach(t -> present.add(t.nameOrEmpty()));
    current.nodes().forEach(n -> present.addAll(n.outputs()));
    List<OnnxValueInfo> valueInfo = current.valueInfo().stream().filter(v -> present.contains(v.name()))
        .collect(Collectors.toList());
    OnnxModel result = model.withGraph(current.withInitializers(kept).withValueInfo(valueInfo))
        .withOpsetImport(MS_DOMAIN, 1);
    return new Result(result, softmaxOutputs.size(), fused, skipped);
  }

  private static String layerName(OnnxNode softmax) {
    String name = softmax.nameOrEmpty();
    int slash = name.lastIndexOf('/');
    return slash >= 0 ? name.substring(0, slash + 1) : name.isEmpty() ? "" : name + "_";
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Matching

  private static Match match(OnnxNode softmax, Index index, long opset) throws NoMatch {
    Set<OnnxNode> removed = Collections.newSetFromMap(new IdentityHashMap<>());
    long axis = softmax.intAttribute("axis", opset >= 13 ? -1 : 1);
    if (axis != 3 && axis != -1) {
      throw new NoMatch("Softmax over axis " + axis + ", not the last of 4");
    }
    removed.add(softmax);
    OnnxNode maskAdd = index.require(softmax.inputs().get(0), "Add", "the Softmax input");
    removed.add(maskAdd);
    // Scores and mask may come in either order; the scale is Div(scores, d) or Mul(scores, c) in either order.
    String scores = null;
    String extendedMask = null;
    float scale = 0;
    for (int side = 0; side < 2 && scores == null; side++) {
      OnnxNode node = index.producer(maskAdd.inputs().get(side));
      if (node == null || node.inputs().size() != 2 || !(node.is("Div") || node.is("Mul"))) {
        continue;
      }
      for (int operand = 1; operand >= (node.is("Mul") ? 0 : 1) && scores == null; operand--) {
        Float factor = index.scalarFloat(node.inputs().get(operand));
        if (factor != null && factor > 0 && Float.isFinite(factor)) {
          scores = node.inputs().get(1 - operand);
          scale = node.is("Div") ? (float) (1.0 / factor) : factor;
          extendedMask = maskAdd.inputs().get(1 - side);
          removed.add(node);
        }
      }
    }
    if (scores == null || extendedMask == null) {
      throw new NoMatch("the scores are not a Div or Mul by a positive constant scalar");
    }
    OnnxNode qk = index.require(scores, "MatMul", "the scaled scores");
    removed.add(qk);

    Heads q = heads(index.require(qk.inputs().get(0), "Transpose", "Q of QK^T"), List.of(0L, 2L, 1L, 3L), index,
        removed, "Q");
    Heads k = heads(index.require(qk.inputs().get(1), "Transpose", "K^T of QK^T"), List.of(0L, 2L, 3L, 1L), index,
        removed, "K");
    List<OnnxNode> softmaxReaders = index.consumers(softmax.outputs().get(0));
    if (softmaxReaders.size() != 1 || !softmaxReaders.get(0).is("MatMul")
        || !softmaxReaders.get(0).inputs().get(0).equals(softmax.outputs().get(0))) {
      throw new NoMatch("the probabilities are not read by one MatMul with V");
    }
    OnnxNode context = softmaxReaders.get(0);
    removed.add(context);
    Heads v = heads(index.require(context.inputs().get(1), "Transpose", "V of the context MatMul"),
        List.of(0L, 2L, 1L, 3L), index, removed, "V");
    if (q.heads != k.heads || q.heads != v.heads || q.headSize != k.headSize || q.headSize != v.headSize) {
      throw new NoMatch("Q, K and V split into different heads");
    }
    Projection pq = projection(q.source, index, removed, "Q");
    Projection pk = projection(k.source, index, removed, "K");
    Projection pv = projection(v.source, index, removed, "V");
    if (!pq.input.equals(pk.input) || !pq.input.equals(pv.input)) {
      throw new NoMatch("Q, K and V project different inputs");
    }
    int hidden = q.heads * q.headSize;
    for (Projection p : List.of(pq, pk, pv)) {
      if (p.outputs != hidden || p.inputs != pq.inputs) {
        throw new NoMatch("a projection is " + p.inputs + " x " + p.outputs + ", not " + pq.inputs + " x " + hidden);
      }
    }

    List<OnnxNode> contextReaders = index.consumers(context.outputs().get(0));
    if (contextReaders.size() != 1 || !isTranspose(contextReaders.get(0), List.of(0L, 2L, 1L, 3L))) {
      throw new NoMatch("the context is not transposed back by (0, 2, 1, 3)");
    }
    OnnxNode merge = contextReaders.get(0);
    removed.add(merge);
    OnnxNode reshape = null;
    for (OnnxNode reader : index.consumers(merge.outputs().get(0))) {
      if (reader.is("Reshape") && reader.inputs().size() == 2 && reader.inputs().get(0).equals(merge.outputs().get(0))) {
        if (reshape != null) {
          throw new NoMatch("the context is reshaped twice");
        }
        reshape = reader;
      }
    }
    if (reshape == null) {
      throw new NoMatch("the context is not reshaped back to [B, S, N * h]");
    }
    List<Long> merged = shape(reshape.inputs().get(1), merge.outputs().get(0), 3, index);
    if (merged == null || merged.get(2) != hidden) {
      throw new NoMatch("the context is reshaped to " + merged + ", not [B, S, " + hidden + "]");
    }
    removed.add(reshape);

    MaskSource mask = mask(extendedMask, index);
    return new Match(pq.input, pq.weight, pk.weight, pv.weight, pq.bias, pk.bias, pv.bias, q.heads, q.headSize,
        pq.inputs, scale, mask.input, mask.filter, reshape.outputs().get(0), removed, reshape);
  }

  private record Heads(String source, int heads, int headSize) {}

  /** {@code Transpose(perm, Reshape(source, [B, S, N, h]))}. */
  private static Heads heads(OnnxNode transpose, List<Long> perm, Index index, Set<OnnxNode> removed, String what)
      throws NoMatch {
    if (!isTranspose(transpose, perm)) {
      throw new NoMatch(what + " is not transposed by " + perm);
    }
    OnnxNode reshape = index.require(transpose.inputs().get(0), "Reshape", what + " heads");
    if (reshape.inputs().size() != 2) {
      throw new NoMatch(what + " Reshape has " + reshape.inputs().size() + " inputs");
    }
    List<Long> shape = shape(reshape.inputs().get(1), reshape.inputs().get(0), 4, index);
    if (shape == null || shape.get(2) <= 0 || shape.get(3) <= 0) {
      throw new NoMatch(what + " is not reshaped to [B, S, N, h] with constant N and h");
    }
    removed.add(transpose);
    removed.add(reshape);
    return new Heads(reshape.inputs().get(0), Math.toIntExact(shape.get(2)), Math.toIntExact(shape.get(3)));
  }

  private record Projection(String input, String weight, String bias, int inputs, int outputs) {}

  /** {@code Add(MatMul(x, W), b)} in either order, with constant float W and b. */
  private static Projection projection(String value, Index index, Set<OnnxNode> removed, String what) throws NoMatch {
    OnnxNode add = index.require(value, "Add", what + " projection");
    for (int side = 0; side < 2; side++) {
      OnnxNode matMul = index.producer(add.inputs().get(side));
      TensorProto bias = index.constant(add.inputs().get(1 - side));
      if (matMul == null || !matMul.is("MatMul") || matMul.inputs().size() != 2 || bias == null) {
        continue;
      }
      TensorProto weight = index.constant(matMul.inputs().get(1));
      if (weight == null || weight.dataTypeOrUndefined() != DataType.FLOAT || weight.dims().size() != 2
          || bias.dataTypeOrUndefined() != DataType.FLOAT || bias.dims().size() != 1
          || !bias.dims().get(0).equals(weight.dims().get(1)) || !index.isInitializer(matMul.inputs().get(1))
          || !index.isInitializer(add.inputs().get(1 - side))) {
        throw new NoMatch(what + " projection is not a MatMul and Add of float initializers [H, N * h] and [N * h]");
      }
      removed.add(add);
      removed.add(matMul);
      return new Projection(matMul.inputs().get(0), matMul.inputs().get(1), add.inputs().get(1 - side),
          Math.toIntExact(weight.dims().get(0)), Math.toIntExact(weight.dims().get(1)));
    }
    throw new NoMatch(what + " is not Add(MatMul(x, W), b)");
  }

  /**
   * The target shape of a Reshape of {@code data} into {@code rank} dims whose first two are the first two dims of
   * {@code data}: the trailing dims, with the leading two as -1, or {@code null} when the shape is anything else. It is
   * either a constant ({@code 0} copies a dim; one {@code -1} among the leading two is inferred to the same value) or
   * {@code Concat(Unsqueeze(Gather(Shape(data), 0)), Unsqueeze(Gather(Shape(data), 1)), constants...)}.
   */
  private static @Nullable List<Long> shape(String shapeValue, String data, int rank, Index index) {
    long[] constant = index.longs(shapeValue);
    List<Long> result = new ArrayList<>(List.of(-1L, -1L));
    if (constant != null) {
      if (constant.length != rank || (constant[0] != 0 && constant[0] != -1) || (constant[1] != 0 && constant[1] != -1)
          || (constant[0] == -1 && constant[1] == -1)) {
        return null;
      }
      for (int i = 2; i < rank; i++) {
        result.add(constant[i]);
      }
      return result;
    }
    OnnxNode concat = index.producer(shapeValue);
    if (concat == null || !concat.is("Concat") || concat.intAttribute("axis", 0) != 0
        || concat.inputs().size() != rank) {
      return null;
    }
    for (int i = 0; i < 2; i++) {
      if (!isDimOf(concat.inputs().get(i), data, i, index)) {
        return null;
      }
    }
    for (int i = 2; i < rank; i++) {
      long[] dim = index.longs(concat.inputs().get(i));
      if (dim == null || dim.length != 1) {
        return null;
      }
      result.add(dim[0]);
    }
    return result;
  }

  /** Whether {@code value} is {@code Unsqueeze(Gather(Shape(data), dim), axes = [0])}. */
  private static boolean isDimOf(String value, String data, int dim, Index index) {
    OnnxNode unsqueeze = index.producer(value);
    if (unsqueeze == null || !unsqueeze.is("Unsqueeze") || !List.of(0L).equals(index.unsqueezeAxes(unsqueeze))) {
      return false;
    }
    OnnxNode gather = index.producer(unsqueeze.inputs().get(0));
    if (gather == null || !gather.is("Gather") || gather.inputs().size() != 2 || gather.intAttribute("axis", 0) != 0) {
      return false;
    }
    long[] at = index.longs(gather.inputs().get(1));
    TensorProto atTensor = index.constant(gather.inputs().get(1));
    if (at == null || at.length != 1 || at[0] != dim || atTensor == null || !atTensor.dims().isEmpty()) {
      return false;
    }
    OnnxNode shape = index.producer(gather.inputs().get(0));
    return shape != null && shape.is("Shape") && shape.inputs().size() == 1 && shape.inputs().get(0).equals(data)
        && shape.attributes().isEmpty();
  }

  private static boolean isTranspose(OnnxNode node, List<Long> perm) {
    return node.is("Transpose") && node.attribute("perm").map(a -> a.ints().equals(perm)).orElse(false);
  }

  private record MaskSource(String input, float filter) {}

  /**
   * {@code Mul(Sub(1, Cast<float>(Unsqueeze(mask, [1, 2]))), c)} with {@code mask} a [B, S] integer graph input; the
   * unsqueezes may be one node or two and the Cast may come before them.
   */
  private static MaskSource mask(String extended, Index index) throws NoMatch {
    OnnxNode mul = index.require(extended, "Mul", "the extended attention mask");
    Float filter = null;
    String scaled = null;
    for (int side = 0; side < 2 && filter == null; side++) {
      filter = index.scalarFloat(mul.inputs().get(1 - side));
      scaled = mul.inputs().get(side);
    }
    if (filter == null || !Float.isFinite(filter) || filter >= 0) {
      throw new NoMatch("the extended mask is not a Mul by a negative constant");
    }
    OnnxNode sub = index.require(scaled, "Sub", "the extended mask");
    Float one = index.scalarFloat(sub.inputs().get(0));
    if (one == null || one != 1.0f) {
      throw new NoMatch("the extended mask is not 1 - mask");
    }
    String value = sub.inputs().get(1);
    int casts = 0;
    List<List<Long>> unsqueezes = new ArrayList<>();
    while (!index.isGraphInput(value)) {
      OnnxNode node = index.producer(value);
      if (node == null) {
        throw new NoMatch("the mask does not come from a graph input");
      }
      if (node.is("Cast") && node.intAttribute("to", -1) == DataType.FLOAT && casts == 0) {
        casts++;
      } else if (node.is("Unsqueeze") && index.unsqueezeAxes(node) != null) {
        unsqueezes.add(0, index.unsqueezeAxes(node));
      } else {
        throw new NoMatch("the mask passes through " + node.opType());
      }
      value = node.inputs().get(0);
    }
    int type = index.inputType(value);
    if (casts != 1 || (type != DataType.INT64 && type != DataType.INT32) || index.inputRank(value) != 2) {
      throw new NoMatch("the mask is not a [B, S] int32 or int64 graph input cast to float");
    }
    // Replay the unsqueezes on [B, S]; they must give [B, 1, 1, S].
    List<String> dims = new ArrayList<>(List.of("B", "S"));
    for (List<Long> axes : unsqueezes) {
      int rank = dims.size() + axes.size();
      List<Long> sorted = axes.stream().map(a -> a < 0 ? a + rank : a).sorted().toList();
      for (long axis : sorted) {
        if (axis < 0 || axis > dims.size()) {
          throw new NoMatch("the mask is unsqueezed at " + axes);
        }
        dims.add((int) axis, "1");
      }
    }
    if (!dims.equals(List.of("B", "1", "1", "S"))) {
      throw new NoMatch("the mask is broadcast as " + dims + ", not [B, 1, 1, S]");
    }
    return new MaskSource(value, filter);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rewriting

  /** The packed weight {@code [H_in, 3 N h]} (rows of Wq, Wk, Wv side by side) and bias {@code [3 N h]}. */
  private static List<TensorProto> pack(Match match, Index index, UniqueNames names) {
    int rows = match.inputHidden();
    int hidden = match.heads() * match.headSize();
    float[][] weights = {floats(index, match.wq()), floats(index, match.wk()), floats(index, match.wv())};
    float[] packed = new float[rows * 3 * hidden];
    for (int r = 0; r < rows; r++) {
      for (int part = 0; part < 3; part++) {
        System.arraycopy(weights[part], r * hidden, packed, (r * 3 + part) * hidden, hidden);
      }
    }
    float[] bias = new float[3 * hidden];
    System.arraycopy(floats(index, match.bq()), 0, bias, 0, hidden);
    System.arraycopy(floats(index, match.bk()), 0, bias, hidden, hidden);
    System.arraycopy(floats(index, match.bv()), 0, bias, 2 * hidden, hidden);
    return List.of(
        TensorProto.ofFloats(names.claim(match.wq() + "_qkv"), new long[] {rows, 3L * hidden}, packed),
        TensorProto.ofFloats(names.claim(match.bq() + "_qkv"), new long[] {3L * hidden}, bias));
  }

  private static float[] floats(Index index, String initializer) {
    TensorProto tensor = index.constant(initializer);
    if (tensor == null) {
      throw new IllegalStateException("matched initializer " + initializer + " is gone");
    }
    return tensor.floats();
  }

  /** The nodes of {@code graph} none of whose outputs is read, directly or through other such nodes. */
  private static Set<OnnxNode> deadNodes(OnnxGraph graph) {
    Set<OnnxNode> dead = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<String> needed = new HashSet<>(graph.outputNames());
    List<OnnxNode> nodes = graph.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      OnnxNode node = nodes.get(i);
      if (node.outputs().stream().anyMatch(needed::contains)) {
        needed.addAll(node.inputs());
      } else {
        dead.add(node);
      }
    }
    return dead;
  }

  /** {@code graph} without the nodes that became dead (were not in {@code initiallyDead}). */
  private static OnnxGraph removeDead(OnnxGraph graph, Set<OnnxNode> initiallyDead) {
    Set<String> needed = new HashSet<>(graph.outputNames());
    List<OnnxNode> nodes = graph.nodes();
    List<OnnxNode> kept = new ArrayList<>();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      OnnxNode node = nodes.get(i);
      if (initiallyDead.contains(node) || node.outputs().stream().anyMatch(needed::contains)) {
        needed.addAll(node.inputs());
        kept.add(node);
      }
    }
    Collections.reverse(kept);
    return graph.withNodes(kept);
  }

  /** The first value read before (or without) being defined, in node order; {@code null} when there is none. */
  private static @Nullable String firstUndefined(OnnxGraph graph) {
    Set<String> defined = new HashSet<>(graph.inputNames());
    graph.initializers().forEach(t -> defined.add(t.nameOrEmpty()));
    defined.add("");
    for (OnnxNode node : graph.nodes()) {
      for (String input : node.inputs()) {
        if (!defined.contains(input)) {
          return input;
        }
      }
      defined.addAll(node.outputs());
    }
    for (String output : graph.outputNames()) {
      if (!defined.contains(output)) {
        return output;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Lookups

  /** Producers, readers, constants and input types of one graph. */
  private static final class Index {
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();
    private final Map<String, TensorProto> initializers;
    private final Map<String, OnnxValueInfo> inputs = new HashMap<>();

    Index(OnnxGraph graph) {
      for (OnnxNode node : graph.nodes()) {
        node.outputs().forEach(o -> producers.put(o, node));
        for (String input : node.inputs()) {
          consumers.computeIfAbsent(input, x -> new ArrayList<>()).add(node);
        }
      }
      initializers = graph.initializersByName();
      graph.inputs().forEach(v -> inputs.put(v.name(), v));
    }

    @Nullable OnnxNode producer(String value) {
      return producers.get(value);
    }

    OnnxNode require(String value, String op, String what) throws NoMatch {
      OnnxNode node = producers.get(value);
      if (node == null || !node.is(op)) {
        throw new NoMatch(what + " is " + (node == null ? "not computed" : node.opType()) + ", not " + op);
      }
      return node;
    }

    List<OnnxNode> consumers(String value) {
      return consumers.getOrDefault(value, List.of());
    }

    boolean isInitializer(String value) {
      return initializers.containsKey(value) && !inputs.containsKey(value);
    }

    boolean isGraphInput(String value) {
      return inputs.containsKey(value) && !initializers.containsKey(value);
    }

    int inputType(String value) {
      OnnxValueInfo info = inputs.get(value);
      Integer type = info == null ? null : info.elemType();
      return type == null ? DataType.UNDEFINED : type;
    }

    int inputRank(String value) {
      OnnxValueInfo info = inputs.get(value);
      if (info == null || info.type() == null || info.type().tensorType() == null
          || info.type().tensorType().shape() == null) {
        return -1;
      }
      return info.type().tensorType().shape().dims().size();
    }

    /** The constant value of {@code value}: an initializer (not overridable by an input) or a Constant node. */
    @Nullable TensorProto constant(String value) {
      if (isInitializer(value)) {
        return initializers.get(value);
      }
      OnnxNode node = producers.get(value);
      if (node != null && node.is("Constant") && node.attributes().size() == 1
          && node.attributes().get(0).name().equals("value")) {
        return node.attributes().get(0).t();
      }
      return null;
    }

    /** A constant float scalar (or one-element tensor), or {@code null}. */
    @Nullable Float scalarFloat(String value) {
      TensorProto tensor = constant(value);
      if (tensor == null || tensor.dataTypeOrUndefined() != DataType.FLOAT || tensor.elementCount() != 1) {
        return null;
      }
      try {
        return tensor.floats()[0];
      } catch (IllegalStateException e) {
        return null;
      }
    }

    /** The values of a constant int64 tensor stored in raw_data, or {@code null}. */
    long @Nullable [] longs(String value) {
      TensorProto tensor = constant(value);
      if (tensor == null || tensor.dataTypeOrUndefined() != DataType.INT64 || tensor.rawData() == null
          || tensor.rawData().size() != tensor.elementCount() * 8) {
        return null;
      }
      long[] values = new long[(int) tensor.elementCount()];
      tensor.rawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
      return values;
    }

    /** The axes of an Unsqueeze (attribute before opset 13, constant input after), or {@code null}. */
    @Nullable List<Long> unsqueezeAxes(OnnxNode unsqueeze) {
      if (unsqueeze.inputs().size() == 1) {
        return unsqueeze.attribute("axes").map(OnnxAttribute::ints).orElse(null);
      }
      if (unsqueeze.inputs().size() == 2) {
        long[] axes = longs(unsqueeze.inputs().get(1));
        return axes == null ? null : java.util.Arrays.stream(axes).boxed().toList();
      }
      return null;
    }
  }
}
