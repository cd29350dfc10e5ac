package dev.skillhost.host.skills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON values as CEL sees them: maps, lists, {@code long} for whole numbers, {@code double} for the rest. */
final class CelValues {

  private CelValues() {}

  static Map<String, Object> of(JsonObject json) {
    Map<String, Object> out = new LinkedHashMap<>();
    json.forEach(e -> out.put(e.getKey(), of(e.getValue())));
    return out;
  }

  @SuppressWarnings("unchecked")
  static Object of(Object value) {
    if (value instanceof JsonObject o) return of(o);
    if (value instanceof Map<?, ?> m) return of(new JsonObject((Map<String, Object>) m));
    if (value instanceof JsonArray a) return list(a.getList());
    if (value instanceof List<?> l) return list(l);
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) return ((Number) value).longValue();
    if (value instanceof Float f) return f.doubleValue();
    return value;
  }

  private static List<Object> list(List<?> values) {
    List<Object> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add(of(v)));
    return out;
  }
}
