/**
 * A validator for STIX 2.1 patterns: the grammar of the STIX 2.1 specification's patterning
 * section (its ANTLR grammar, STIXPattern.g4, in OASIS's cti-pattern-validator) rewritten for
 * ohm-js. No maintained STIX pattern parser is published on npm, so the grammar is ours and the
 * parsing is ohm's. `parsePattern` also returns the object paths a pattern compares, so tests can
 * check each against the object types and properties it names.
 */
import * as ohm from 'ohm-js';

const grammar = ohm.grammar(String.raw`
STIXPattern {
  Pattern = ObservationExpressions end

  ObservationExpressions
    = ObservationExpressions followedby ObservationExpressionOr  -- followedBy
    | ObservationExpressionOr
  ObservationExpressionOr
    = ObservationExpressionOr or ObservationExpressionAnd  -- or
    | ObservationExpressionAnd
  ObservationExpressionAnd
    = ObservationExpressionAnd and ObservationExpression  -- and
    | ObservationExpression
  ObservationExpression
    = ObservationExpression Qualifier  -- qualified
    | "[" ComparisonExpression "]"  -- simple
    | "(" ObservationExpressions ")"  -- compound
  Qualifier
    = start timestampLiteral stop timestampLiteral  -- startStop
    | within (floatPosLiteral | intPosLiteral) seconds  -- within
    | repeats intPosLiteral times  -- repeats

  ComparisonExpression
    = ComparisonExpression or ComparisonExpressionAnd  -- or
    | ComparisonExpressionAnd
  ComparisonExpressionAnd
    = ComparisonExpressionAnd and PropTest  -- and
    | PropTest
  PropTest
    = objectPath not? equalityOp PrimitiveLiteral  -- equal
    | objectPath not? orderOp OrderableLiteral  -- order
    | objectPath not? in SetLiteral  -- set
    | objectPath not? like stringLiteral  -- like
    | objectPath not? matches stringLiteral  -- matches
    | objectPath not? issubset stringLiteral  -- subset
    | objectPath not? issuperset stringLiteral  -- superset
    | "(" ComparisonExpression ")"  -- paren
    | exists objectPath  -- exists

  equalityOp = "==" | "=" | "!=" | "<>"
  orderOp = "<=" | ">=" | "<" | ">"

  objectPath = objectType ":" firstPathComponent pathStep*
  objectType = identifierWithHyphen
  firstPathComponent = identifierWithoutHyphen | stringLiteral
  pathStep
    = "." (identifierWithoutHyphen | stringLiteral)  -- key
    | "[" (intLiteral | "*") "]"  -- index

  SetLiteral = "(" ListOf<PrimitiveLiteral, ","> ")"
  PrimitiveLiteral = OrderableLiteral | boolLiteral
  OrderableLiteral
    = timestampLiteral | binaryLiteral | hexLiteral | floatLiteral | intLiteral | stringLiteral

  intPosLiteral = "+"? unsignedInt
  intLiteral = ("+" | "-")? unsignedInt
  unsignedInt = "0" | positiveInt
  positiveInt = nonZero digit*
  floatPosLiteral = "+"? digit* "." digit+
  floatLiteral = ("+" | "-")? digit* "." digit+
  nonZero = "1".."9"
  hexLiteral = "h'" (hexDigit hexDigit)* "'"
  binaryLiteral = "b'" base64Char* "'"
  base64Char = alnum | "+" | "/" | "="
  stringLiteral = "'" stringChar* "'"
  stringChar = "\\'" -- quote
             | "\\\\" -- backslash
             | ~("'" | "\\") any -- plain
  boolLiteral = caseInsensitive<"true"> ~identChar | caseInsensitive<"false"> ~identChar
  timestampLiteral = "t'" year "-" month "-" day "T" hour ":" minute ":" second ("." digit+)? "Z'"
  year = digit digit digit digit
  month = "0" "1".."9" | "1" "0".."2"
  day = "0" "1".."9" | "1".."2" digit | "3" "0".."1"
  hour = "0".."1" digit | "2" "0".."3"
  minute = "0".."5" digit
  second = sixtyOrLess | "60"
  sixtyOrLess = "0".."5" digit

  identifierWithoutHyphen = ~keyword (letter | "_") identChar*
  identifierWithHyphen = ~keyword (letter | "_") (identChar | "-")*
  identChar = alnum | "_"

  keyword = and | or | not | followedby | like | matches | issuperset | issubset | last | in
          | start | stop | seconds | within | repeats | times | exists
  and = caseInsensitive<"and"> ~identChar
  or = caseInsensitive<"or"> ~identChar
  not = caseInsensitive<"not"> ~identChar
  followedby = caseInsensitive<"followedby"> ~identChar
  like = caseInsensitive<"like"> ~identChar
  matches = caseInsensitive<"matches"> ~identChar
  issuperset = caseInsensitive<"issuperset"> ~identChar
  issubset = caseInsensitive<"issubset"> ~identChar
  last = caseInsensitive<"last"> ~identChar
  in = caseInsensitive<"in"> ~identChar
  start = caseInsensitive<"start"> ~identChar
  stop = caseInsensitive<"stop"> ~identChar
  seconds = caseInsensitive<"seconds"> ~identChar
  within = caseInsensitive<"within"> ~identChar
  repeats = caseInsensitive<"repeats"> ~identChar
  times = caseInsensitive<"times"> ~identChar
  exists = caseInsensitive<"exists"> ~identChar
}
`);

const semantics = grammar.createSemantics().addOperation('paths', {
  _iter(...children: ohm.Node[]) {
    return children.flatMap((c) => c['paths']() as string[]);
  },
  _nonterminal(...children: ohm.Node[]) {
    return children.flatMap((c) => c['paths']() as string[]);
  },
  _terminal() {
    return [];
  },
  objectPath(_type, _colon, _first, _steps) {
    return [this.sourceString];
  },
});

export type PatternResult = { ok: true; paths: string[] } | { ok: false; message: string };

export function parsePattern(pattern: string): PatternResult {
  const match = grammar.match(pattern);
  if (match.failed()) return { ok: false, message: match.shortMessage ?? 'does not parse' };
  return { ok: true, paths: semantics(match)['paths']() as string[] };
}
