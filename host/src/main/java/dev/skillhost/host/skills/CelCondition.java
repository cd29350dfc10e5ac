package dev.skillhost.host.skills;

import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelLateFunctionBindings;
import dev.cel.runtime.CelRuntime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A checked CEL program with the helpers bound to each evaluation's own text and attachments. */
final class CelCondition implements Condition {

  private final String source;
  private final CelRuntime.Program program;
  private final List<String> keywords;

  CelCondition(String source, CelRuntime.Program program, List<String> keywords) {
    this.source = source;
    this.program = program;
    this.keywords = List.copyOf(keywords);
  }

  @Override
  public List<String> keywords() {
    return keywords;
  }

  @Override
  public boolean test(Map<String, Object> vars) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> v = (Map<String, Object>) celValue(vars);
      Keywords words = Keywords.of(v.get("text") instanceof String s ? s : "");
      Map<?, ?> attachments = v.get("attachments") instanceof Map<?, ?> m ? m : Map.of();
      CelLateFunctionBindings helpers = CelLateFunctionBindings.from(
          CelFunctionBinding.from(CelConditionCompiler.SAYS, List.class, words::any),
          CelFunctionBinding.from(CelConditionCompiler.SAYS_ALL, List.class, words::all),
          CelFunctionBinding.from(CelConditionCompiler.ATTACHED, String.class,
              kind -> attachments.get(kind) instanceof Number n && n.longValue() > 0));
      return Boolean.TRUE.equals(program.eval(v, helpers));
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return source;
  }

  /** CEL knows long, double, String, boolean, List and Map: callers may pass JSON values or ints. */
  static Object celValue(Object value) {
    if (value instanceof JsonObject o) {
      return celValue(o.getMap());
    }
    if (value instanceof JsonArray a) {
      return celValue(a.getList());
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new HashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), celValue(x)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(celValue(x)));
      return out;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float || value instanceof BigDecimal) {
      return ((Number) value).doubleValue();
    }
    return value;
  }
}
