package dev.skillhost.host.skills;

import com.google.common.collect.ImmutableList;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelMacro;
import dev.cel.parser.CelMacroExprFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ConditionCompiler} on cel-java. The standard CEL library has no I/O, clock or randomness;
 * on top of it come only the keyword and attachment helpers, and limits on expression size,
 * nesting and comprehension iterations, so a condition cannot run away.
 *
 * <p>{@code has} is a CEL macro ({@code has(estimate.credits)} tests that a field is present) and
 * cel-java refuses a function of that name. So this compiler replaces the standard {@code has}
 * macro with one that keeps that meaning for a field and turns {@code has('image')} into a call of
 * {@code attached('image')}; both spellings work.
 */
public final class CelConditionCompiler implements ConditionCompiler {

  /** Longest expression accepted, in code points. */
  public static final int MAX_EXPRESSION_LENGTH = 4_096;
  /** Most iterations of all comprehensions ({@code exists}, {@code all}, …) in one evaluation. */
  public static final int MAX_ITERATIONS = 1_000;
  static final int MAX_NESTING = 32;
  static final int MAX_REGEX_PROGRAM = 1_000;

  static final String SAYS = "says";
  static final String SAYS_ALL = "says_all";
  static final String ATTACHED = "attached";

  /** Compiled conditions kept across reloads: an edit usually leaves most conditions as they were. */
  static final int CACHE_SIZE = 4_096;

  private final CelCompiler route;
  private final CelCompiler confirm;
  private final CelRuntime runtime;
  private final Map<String, Result> cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Result> eldest) {
      return size() > CACHE_SIZE;
    }
  });

  public CelConditionCompiler() {
    CelOptions options = CelOptions.current()
        .maxExpressionCodePointSize(MAX_EXPRESSION_LENGTH)
        .maxParseRecursionDepth(MAX_NESTING)
        .comprehensionMaxIterations(MAX_ITERATIONS)
        .maxRegexProgramSize(MAX_REGEX_PROGRAM)
        .enableHeterogeneousNumericComparisons(true)
        .build();
    this.route = compiler(options, false);
    this.confirm = compiler(options, true);
    this.runtime = CelRuntimeFactory.plannerRuntimeBuilder()
        .setOptions(options)
        .addLateBoundFunctions(SAYS, SAYS_ALL, ATTACHED)
        .build();
  }

  @Override
  public Result compile(String expression, Scope scope) {
    String key = scope + ":" + expression;
    Result cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    Result r = compileNew(expression, scope);
    cache.put(key, r);
    return r;
  }

  private Result compileNew(String expression, Scope scope) {
    try {
      CelValidationResult checked = (scope == Scope.CONFIRM ? confirm : route).compile(expression);
      if (checked.hasError()) {
        List<Problem> problems = new ArrayList<>();
        for (CelIssue issue : checked.getErrors()) {
          problems.add(new Problem(message(issue), offset(expression, issue)));
        }
        return new Result(null, List.copyOf(problems));
      }
      CelExpr root = checked.getAst().getExpr();
      List<String> keywords = new ArrayList<>();
      collectKeywords(root, keywords);
      return new Result(new CelCondition(expression, runtime.createProgram(checked.getAst()), keywords), List.of());
    } catch (CelValidationException | CelEvaluationException | RuntimeException e) {
      return new Result(null, List.of(new Problem("cannot compile: " + e.getMessage(), -1)));
    }
  }

  private static CelCompiler compiler(CelOptions options, boolean confirmScope) {
    List<CelStandardMacro> macros = new ArrayList<>(CelStandardMacro.STANDARD_MACROS);
    macros.remove(CelStandardMacro.HAS);
    CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(options)
        .setStandardMacros(macros)
        .addMacros(CelMacro.newGlobalMacro("has", 1, CelConditionCompiler::expandHas))
        .setResultType(SimpleType.BOOL)
        .addVar("text", SimpleType.STRING)
        .addVar("locale", SimpleType.STRING)
        .addVar("attachments", MapType.create(SimpleType.STRING, SimpleType.INT))
        .addVar("params", MapType.create(SimpleType.STRING, SimpleType.DYN))
        .addFunctionDeclarations(
            CelFunctionDecl.newFunctionDeclaration(SAYS, CelOverloadDecl.newGlobalOverload(
                SAYS, SimpleType.BOOL, ListType.create(SimpleType.STRING))),
            CelFunctionDecl.newFunctionDeclaration(SAYS_ALL, CelOverloadDecl.newGlobalOverload(
                SAYS_ALL, SimpleType.BOOL, ListType.create(SimpleType.STRING))),
            CelFunctionDecl.newFunctionDeclaration(ATTACHED, CelOverloadDecl.newGlobalOverload(
                ATTACHED, SimpleType.BOOL, SimpleType.STRING)));
    if (confirmScope) {
      b.addVar("operation", SimpleType.STRING)
          .addVar("estimate", MapType.create(SimpleType.STRING, SimpleType.DYN));
    }
    return b.build();
  }

  private static Optional<CelExpr> expandHas(
      CelMacroExprFactory factory, CelExpr target, ImmutableList<CelExpr> args) {
    CelExpr arg = args.get(0);
    if (arg.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT) {
      return Optional.of(factory.newSelect(arg.select().operand(), arg.select().field(), true));
    }
    if (arg.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
        && arg.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
      return Optional.of(factory.newGlobalCall(ATTACHED, arg));
    }
    return Optional.of(factory.reportError(
        "has() takes an attachment kind, has('image'), or a field, has(estimate.credits)"));
  }

  /** The string literals in the lists given to {@code says()} and {@code says_all()}, wherever they stand. */
  private static void collectKeywords(CelExpr e, List<String> out) {
    switch (e.exprKind().getKind()) {
      case CALL -> {
        String fn = e.call().function();
        if ((fn.equals(SAYS) || fn.equals(SAYS_ALL)) && !e.call().args().isEmpty()
            && e.call().args().get(0).exprKind().getKind() == CelExpr.ExprKind.Kind.LIST) {
          for (CelExpr item : e.call().args().get(0).list().elements()) {
            if (item.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && item.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
              out.add(item.constant().stringValue());
            }
          }
          return;
        }
        e.call().target().ifPresent(t -> collectKeywords(t, out));
        e.call().args().forEach(a -> collectKeywords(a, out));
      }
      case LIST -> e.list().elements().forEach(x -> collectKeywords(x, out));
      case SELECT -> collectKeywords(e.select().operand(), out);
      case COMPREHENSION -> {
        collectKeywords(e.comprehension().iterRange(), out);
        collectKeywords(e.comprehension().loopCondition(), out);
        collectKeywords(e.comprehension().loopStep(), out);
        collectKeywords(e.comprehension().result(), out);
      }
      default -> { }
    }
  }

  /** Without cel-java's noise: the empty container, and candidate lists too long to help. */
  private static String message(CelIssue issue) {
    String m = issue.getMessage().replace(" (in container '')", "");
    int candidates = m.indexOf(" (candidates: ");
    return candidates > 0 && m.length() - candidates > 60 ? m.substring(0, candidates) : m;
  }

  /** CEL counts lines from 1 and columns from 0, in code points; the problem wants a char offset. */
  private static int offset(String expression, CelIssue issue) {
    int line = issue.getSourceLocation().getLine();
    int column = issue.getSourceLocation().getColumn();
    if (line < 1 || column < 0) {
      return -1;
    }
    int start = 0;
    for (int l = 1; l < line; l++) {
      int nl = expression.indexOf('\n', start);
      if (nl < 0) {
        return -1;
      }
      start = nl + 1;
    }
    int end = expression.indexOf('\n', start);
    String rest = expression.substring(start, end < 0 ? expression.length() : end);
    int points = rest.codePointCount(0, rest.length());
    return start + rest.offsetByCodePoints(0, Math.min(column, points));
  }
}
