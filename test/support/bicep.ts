/**
 * A small parser and evaluator for the subset of Bicep that infra/main.bicep uses, so its
 * structure can be tested offline (no Bicep compiler exists here, DESIGN.md §5). It reads
 * `param`, `var`, `resource` (plain or `if (...)`), `output`, `targetScope` and `metadata`
 * declarations with their decorators, and expressions: strings with `${}` interpolation,
 * objects, arrays, member and index access, calls, unary, binary and ternary operators. Anything
 * else — loops, modules, lambdas, user-defined types — is refused with its line, rather than
 * guessed at, so a template that outgrows the parser fails the test instead of passing unread.
 */

/** A lexical token; offsets index the whole file, so any expression's source can be quoted. */
interface Token {
  readonly kind: 'ident' | 'number' | 'string' | 'punct' | 'newline' | 'eof';
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** A string's pieces: literal text, or the tokens of an interpolated expression. */
  readonly parts?: readonly (string | readonly Token[])[];
}

/** A parsed Bicep expression. `source` is its text in the file. */
export type Expr = { readonly source: string } & (
  | { readonly kind: 'string'; readonly parts: readonly (string | Expr)[] }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'object'; readonly properties: readonly ObjectProperty[] }
  | { readonly kind: 'array'; readonly items: readonly Expr[] }
  | { readonly kind: 'member'; readonly object: Expr; readonly property: string }
  | { readonly kind: 'index'; readonly object: Expr; readonly index: Expr }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly Expr[] }
  | { readonly kind: 'unary'; readonly op: string; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'ternary'; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr }
);

/** One `key: value` of an object; an interpolated key keeps its expression. */
export interface ObjectProperty {
  readonly key: string | Expr;
  readonly value: Expr;
}

/** `@name(args)` before a declaration. */
export interface Decorator {
  readonly name: string;
  readonly args: readonly Expr[];
}

export interface BicepParam {
  readonly name: string;
  readonly type: string;
  readonly defaultValue: Expr | undefined;
  readonly decorators: readonly Decorator[];
}

export interface BicepVar {
  readonly name: string;
  readonly value: Expr;
}

export interface BicepResource {
  /** The symbolic name other declarations refer to it by. */
  readonly symbol: string;
  /** e.g. `Microsoft.Web/sites`. */
  readonly type: string;
  readonly apiVersion: string;
  readonly existing: boolean;
  /** The `if (...)` condition of a conditional resource. */
  readonly condition: Expr | undefined;
  readonly body: Expr & { readonly kind: 'object' };
}

export interface BicepOutput {
  readonly name: string;
  readonly type: string;
  readonly value: Expr;
}

/** A parsed Bicep file. */
export interface BicepFile {
  readonly params: readonly BicepParam[];
  readonly vars: readonly BicepVar[];
  readonly resources: readonly BicepResource[];
  readonly outputs: readonly BicepOutput[];
}

const PUNCTUATION = [
  '::',
  '==',
  '!=',
  '=~',
  '!~',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '=>',
  ...'{}[](),:.?=!<>+-*/%@|',
];

/** Raised for text outside the supported subset, with the line it is on. */
export class BicepSyntaxError extends Error {
  constructor(text: string, offset: number, message: string) {
    super(`line ${text.slice(0, offset).split('\n').length}: ${message}`);
    this.name = 'BicepSyntaxError';
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string): never => {
    throw new BicepSyntaxError(text, i, message);
  };

  /** Reads tokens until the `}` closing an interpolation (depth 0), which it consumes. */
  const interpolation = (): Token[] => {
    const inner: Token[] = [];
    let depth = 0;
    for (;;) {
      const token = next();
      if (token.kind === 'eof') fail('unterminated ${ in a string');
      if (token.kind === 'punct' && token.value === '{') depth += 1;
      if (token.kind === 'punct' && token.value === '}') {
        if (depth === 0) return inner;
        depth -= 1;
      }
      inner.push(token);
    }
  };

  const quoted = (start: number): Token => {
    const parts: (string | Token[])[] = [];
    let literal = '';
    i += 1;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') fail('unterminated string');
      if (c === "'") {
        i += 1;
        break;
      }
      if (c === '\\') {
        const escaped = text[i + 1];
        const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", $: '$' };
        if (escaped !== undefined && escaped in map) {
          literal += map[escaped];
          i += 2;
          continue;
        }
        fail(`unsupported escape \\${escaped ?? ''}`);
      }
      if (c === '$' && text[i + 1] === '{') {
        if (literal !== '') parts.push(literal);
        literal = '';
        i += 2;
        parts.push(interpolation());
        continue;
      }
      literal += c;
      i += 1;
    }
    if (literal !== '' || parts.length === 0) parts.push(literal);
    return { kind: 'string', value: text.slice(start, i), start, end: i, parts };
  };

  function next(): Token {
    for (;;) {
      const c = text[i];
      if (c === undefined) return { kind: 'eof', value: '', start: i, end: i };
      if (c === ' ' || c === '\t' || c === '\r') {
        i += 1;
      } else if (text.startsWith('//', i)) {
        while (i < text.length && text[i] !== '\n') i += 1;
      } else if (text.startsWith('/*', i)) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0) fail('unterminated comment');
        i = close + 2;
      } else {
        break;
      }
    }
    const start = i;
    const c = text[i]!;
    if (c === '\n') {
      i += 1;
      return { kind: 'newline', value: '\n', start, end: i };
    }
    if (text.startsWith("'''", i)) {
      const close = text.indexOf("'''", i + 3);
      if (close < 0) fail('unterminated multi-line string');
      const body = text.slice(i + 3, close).replace(/^\r?\n/, '');
      i = close + 3;
      return { kind: 'string', value: text.slice(start, i), start, end: i, parts: [body] };
    }
    if (c === "'") return quoted(start);
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 200));
    if (word) {
      i += word[0].length;
      return { kind: 'ident', value: word[0], start, end: i };
    }
    const number = /^\d+/.exec(text.slice(i, i + 40));
    if (number) {
      i += number[0].length;
      return { kind: 'number', value: number[0], start, end: i };
    }
    const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
    if (punct === undefined) fail(`unexpected character ${JSON.stringify(c)}`);
    i += punct!.length;
    return { kind: 'punct', value: punct!, start, end: i };
  }

  for (;;) {
    const token = next();
    tokens.push(token);
    if (token.kind === 'eof') return tokens;
  }
}

/** Binary operators, loosest first; each level's operands are the next level's. */
const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['??'],
  ['||'],
  ['&&'],
  ['==', '!=', '=~', '!~'],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

class Parser {
  private position = 0;
  /** Inside parentheses newlines are insignificant; inside objects and arrays they separate items. */
  private readonly nesting: ('paren' | 'block')[] = [];

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  private fail(message: string, token = this.tokens[this.position]!): never {
    throw new BicepSyntaxError(this.text, token.start, message);
  }

  private peek(): Token {
    if (this.nesting.at(-1) === 'paren') {
      while (this.tokens[this.position]!.kind === 'newline') this.position += 1;
    }
    return this.tokens[this.position]!;
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position += 1;
    return token;
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.value === value;
  }

  private expectPunct(value: string): Token {
    if (!this.isPunct(value)) this.fail(`expected "${value}", found "${this.peek().value}"`);
    return this.take();
  }

  private expectIdent(): string {
    const token = this.take();
    if (token.kind !== 'ident') this.fail(`expected a name, found "${token.value}"`, token);
    return token.value;
  }

  private skipNewlines(): void {
    while (this.tokens[this.position]!.kind === 'newline') this.position += 1;
  }

  private endOfDeclaration(): void {
    const token = this.take();
    if (token.kind !== 'newline' && token.kind !== 'eof') {
      this.fail(`expected the end of the line, found "${token.value}"`, token);
    }
  }

  private source(start: Token): string {
    return this.text.slice(start.start, this.tokens[this.position - 1]!.end);
  }

  file(): BicepFile {
    const params: BicepParam[] = [];
    const vars: BicepVar[] = [];
    const resources: BicepResource[] = [];
    const outputs: BicepOutput[] = [];
    for (;;) {
      this.skipNewlines();
      const decorators: Decorator[] = [];
      while (this.isPunct('@')) {
        this.take();
        let name = this.expectIdent();
        if (this.isPunct('.')) {
          this.take();
          name = this.expectIdent();
        }
        decorators.push({ name, args: this.isPunct('(') ? this.callArguments() : [] });
        this.skipNewlines();
      }
      const keyword = this.take();
      if (keyword.kind === 'eof') {
        if (decorators.length > 0) this.fail('decorators without a declaration', keyword);
        return { params, vars, resources, outputs };
      }
      if (keyword.kind !== 'ident') this.fail(`expected a declaration, found "${keyword.value}"`, keyword);
      switch (keyword.value) {
        case 'param': {
          const name = this.expectIdent();
          const type = this.typeName();
          let defaultValue: Expr | undefined;
          if (this.isPunct('=')) {
            this.take();
            defaultValue = this.expression();
          }
          params.push({ name, type, defaultValue, decorators });
          break;
        }
        case 'var': {
          const name = this.expectIdent();
          this.expectPunct('=');
          vars.push({ name, value: this.expression() });
          break;
        }
        case 'resource':
          resources.push(this.resource());
          break;
        case 'output': {
          const name = this.expectIdent();
          const type = this.typeName();
          this.expectPunct('=');
          outputs.push({ name, type, value: this.expression() });
          break;
        }
        case 'targetScope':
          this.expectPunct('=');
          this.expression();
          break;
        case 'metadata':
          this.expectIdent();
          this.expectPunct('=');
          this.expression();
          break;
        default:
          this.fail(`"${keyword.value}" declarations are not supported by this parser`, keyword);
      }
      this.endOfDeclaration();
    }
  }

  private typeName(): string {
    const name = this.expectIdent();
    if (!['string', 'int', 'bool', 'object', 'array'].includes(name)) {
      this.fail(`type "${name}" is not supported by this parser`);
    }
    return name;
  }

  private resource(): BicepResource {
    const symbol = this.expectIdent();
    const typeToken = this.take();
    const typeText = typeToken.parts?.length === 1 ? typeToken.parts[0] : undefined;
    const match = typeof typeText === 'string' ? /^([^@]+)@(.+)$/.exec(typeText) : null;
    if (typeToken.kind !== 'string' || !match) this.fail("expected 'Provider/type@api-version'", typeToken);
    let existing = false;
    if (this.peek().kind === 'ident' && this.peek().value === 'existing') {
      this.take();
      existing = true;
    }
    this.expectPunct('=');
    let condition: Expr | undefined;
    if (this.peek().kind === 'ident' && this.peek().value === 'if') {
      this.take();
      condition = this.parenthesised();
    }
    if (this.isPunct('[')) this.fail('resource loops are not supported by this parser');
    const body = this.primary();
    if (body.kind !== 'object') this.fail('expected the resource body { ... }');
    return { symbol, type: match[1]!, apiVersion: match[2]!, existing, condition, body };
  }

  private parenthesised(): Expr {
    this.expectPunct('(');
    this.nesting.push('paren');
    const inner = this.expression();
    this.nesting.pop();
    this.expectPunct(')');
    return inner;
  }

  private callArguments(): Expr[] {
    this.expectPunct('(');
    this.nesting.push('paren');
    const args: Expr[] = [];
    while (!this.isPunct(')')) {
      args.push(this.expression());
      if (!this.isPunct(')')) this.expectPunct(',');
    }
    this.nesting.pop();
    this.expectPunct(')');
    return args;
  }

  expression(): Expr {
    const start = this.peek();
    const test = this.binary(0);
    if (!this.isPunct('?')) return test;
    this.take();
    const then = this.expression();
    this.expectPunct(':');
    const otherwise = this.expression();
    return { kind: 'ternary', test, then, otherwise, source: this.source(start) };
  }

  private binary(level: number): Expr {
    const operators = BINARY_LEVELS[level];
    if (operators === undefined) return this.unary();
    const start = this.peek();
    let left = this.binary(level + 1);
    while (this.peek().kind === 'punct' && operators.includes(this.peek().value)) {
      const op = this.take().value;
      const right = this.binary(level + 1);
      left = { kind: 'binary', op, left, right, source: this.source(start) };
    }
    return left;
  }

  private unary(): Expr {
    const start = this.peek();
    if (this.isPunct('!') || this.isPunct('-')) {
      const op = this.take().value;
      const operand = this.unary();
      return { kind: 'unary', op, operand, source: this.source(start) };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    const start = this.peek();
    let expr = this.primary();
    for (;;) {
      if (this.isPunct('.') || this.isPunct('::')) {
        this.take();
        const property = this.expectIdent();
        if (this.isPunct('(')) {
          // A namespaced function (`sys.union(...)`, `az.resourceGroup()`).
          if (expr.kind !== 'ident') this.fail('method calls are not supported by this parser');
          const args = this.callArguments();
          expr = { kind: 'call', callee: property, args, source: this.source(start) };
        } else {
          expr = { kind: 'member', object: expr, property, source: this.source(start) };
        }
      } else if (this.isPunct('[')) {
        this.take();
        this.nesting.push('paren');
        const index = this.expression();
        this.nesting.pop();
        this.expectPunct(']');
        expr = { kind: 'index', object: expr, index, source: this.source(start) };
      } else if (this.isPunct('(') && expr.kind === 'ident') {
        const callee = expr.name;
        const args = this.callArguments();
        expr = { kind: 'call', callee, args, source: this.source(start) };
      } else {
        return expr;
      }
    }
  }

  private primary(): Expr {
    const token = this.peek();
    if (token.kind === 'string') {
      this.take();
      const parts = token.parts!.map((part) =>
        typeof part === 'string' ? part : new Parser(this.text, [...part, eofAfter(part, token)]).whole(),
      );
      return { kind: 'string', parts, source: token.value };
    }
    if (token.kind === 'number') {
      this.take();
      return { kind: 'number', value: Number(token.value), source: token.value };
    }
    if (token.kind === 'ident') {
      this.take();
      if (token.value === 'true' || token.value === 'false') {
        return { kind: 'bool', value: token.value === 'true', source: token.value };
      }
      if (token.value === 'null') return { kind: 'null', source: token.value };
      if (token.value === 'for') this.fail('for-expressions are not supported by this parser', token);
      if (this.isPunct('=>')) this.fail('lambdas are not supported by this parser');
      return { kind: 'ident', name: token.value, source: token.value };
    }
    if (this.isPunct('(')) {
      const inner = this.parenthesised();
      return { ...inner, source: this.source(token) };
    }
    if (this.isPunct('{')) return this.object();
    if (this.isPunct('[')) return this.array();
    return this.fail(`expected a value, found "${token.value}"`);
  }

  /** Parses a whole token list (an interpolation) as one expression. */
  whole(): Expr {
    this.nesting.push('paren');
    const expr = this.expression();
    if (this.peek().kind !== 'eof') this.fail(`unexpected "${this.peek().value}" in an interpolation`);
    return expr;
  }

  private object(): Expr {
    const start = this.expectPunct('{');
    this.nesting.push('block');
    const properties: ObjectProperty[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.isPunct('}')) break;
      const keyToken = this.peek();
      let key: string | Expr;
      if (keyToken.kind === 'ident') {
        key = this.take().value;
      } else if (keyToken.kind === 'string') {
        const parsed = this.primary();
        key =
          parsed.kind === 'string' && parsed.parts.every((p) => typeof p === 'string')
            ? parsed.parts.join('')
            : parsed;
      } else {
        this.fail(`expected a property name, found "${keyToken.value}"`);
      }
      this.expectPunct(':');
      properties.push({ key, value: this.expression() });
      if (this.isPunct(',')) this.take();
      else if (!this.isPunct('}') && this.peek().kind !== 'newline') {
        this.fail(`expected a new line after a property, found "${this.peek().value}"`);
      }
    }
    this.nesting.pop();
    this.expectPunct('}');
    return { kind: 'object', properties, source: this.source(start) };
  }

  private array(): Expr {
    const start = this.expectPunct('[');
    this.nesting.push('block');
    const items: Expr[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.isPunct(']')) break;
      items.push(this.expression());
      if (this.isPunct(',')) this.take();
    }
    this.nesting.pop();
    this.expectPunct(']');
    return { kind: 'array', items, source: this.source(start) };
  }
}

function eofAfter(tokens: readonly Token[], string: Token): Token {
  const end = tokens.at(-1)?.end ?? string.start;
  return { kind: 'eof', value: '', start: end, end };
}

/** Parses a Bicep file; throws {@link BicepSyntaxError} for anything outside the subset. */
export function parseBicep(text: string): BicepFile {
  return new Parser(text, tokenize(text)).file();
}

/** The value at a dotted path of an object expression (`properties.siteConfig.alwaysOn`). */
export function property(expr: Expr | undefined, path: string): Expr | undefined {
  let current = expr;
  for (const key of path.split('.')) {
    if (current?.kind !== 'object') return undefined;
    current = current.properties.find((p) => p.key === key)?.value;
  }
  return current;
}

/** Every name an expression refers to (parameters, variables, resources), not property names or keys. */
export function references(expr: Expr): string[] {
  switch (expr.kind) {
    case 'ident':
      return [expr.name];
    case 'string':
      return expr.parts.flatMap((p) => (typeof p === 'string' ? [] : references(p)));
    case 'object':
      return expr.properties.flatMap((p) => [
        ...(typeof p.key === 'string' ? [] : references(p.key)),
        ...references(p.value),
      ]);
    case 'array':
      return expr.items.flatMap(references);
    case 'member':
      return references(expr.object);
    case 'index':
      return [...references(expr.object), ...references(expr.index)];
    case 'call':
      return expr.args.flatMap(references);
    case 'unary':
      return references(expr.operand);
    case 'binary':
      return [...references(expr.left), ...references(expr.right)];
    case 'ternary':
      return [...references(expr.test), ...references(expr.then), ...references(expr.otherwise)];
    default:
      return [];
  }
}

/** Every expression of a file outside parameter declarations' own names: defaults, decorators, bodies. */
export function allExpressions(file: BicepFile): Expr[] {
  return [
    ...file.params.flatMap((p) => [
      ...(p.defaultValue ? [p.defaultValue] : []),
      ...p.decorators.flatMap((d) => d.args),
    ]),
    ...file.vars.map((v) => v.value),
    ...file.resources.flatMap((r) => [...(r.condition ? [r.condition] : []), r.body]),
    ...file.outputs.map((o) => o.value),
  ];
}

/** A value an evaluated expression can have. */
export type Value = string | number | boolean | null | readonly Value[] | { readonly [key: string]: Value };

/** A value as `${}` puts it in a string; objects and arrays are refused rather than guessed at. */
function interpolated(value: Value, expr: Expr): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${expr.source}: ${JSON.stringify(value)} in a string`);
}

/** How {@link evaluate} gets what only a deployment knows. */
export interface Scope {
  readonly params: Readonly<Record<string, Value>>;
  /**
   * A plausible value for a property of a deployed resource (`identity.properties.clientId`):
   * the resource's type and the path read from it. Throw for one you have no value for.
   */
  readonly resourceProperty: (resource: BicepResource, path: string) => Value;
}

/**
 * Evaluates an expression as a deployment would, with parameters and resource properties from
 * `scope`. Supports the functions infra/main.bicep uses in values; any other throws.
 */
export function evaluate(file: BicepFile, expr: Expr, scope: Scope): Value {
  const self = (e: Expr) => evaluate(file, e, scope);
  const resourcePath = (e: Expr): { resource: BicepResource; path: string[] } | undefined => {
    if (e.kind === 'ident') {
      const resource = file.resources.find((r) => r.symbol === e.name);
      return resource ? { resource, path: [] } : undefined;
    }
    if (e.kind === 'member') {
      const base = resourcePath(e.object);
      return base ? { resource: base.resource, path: [...base.path, e.property] } : undefined;
    }
    return undefined;
  };
  switch (expr.kind) {
    case 'string':
      return expr.parts.map((p) => (typeof p === 'string' ? p : interpolated(self(p), p))).join('');
    case 'number':
    case 'bool':
      return expr.value;
    case 'null':
      return null;
    case 'object': {
      const result: Record<string, Value> = {};
      for (const p of expr.properties)
        result[typeof p.key === 'string' ? p.key : interpolated(self(p.key), p.key)] = self(p.value);
      return result;
    }
    case 'array':
      return expr.items.map(self);
    case 'ident':
    case 'member': {
      const onResource = resourcePath(expr);
      if (onResource) {
        if (onResource.path.length === 0) {
          throw new Error(`${expr.source}: a resource is not a value (read one of its properties)`);
        }
        return scope.resourceProperty(onResource.resource, onResource.path.join('.'));
      }
      if (expr.kind === 'member') {
        const object = self(expr.object);
        if (
          typeof object !== 'object' ||
          object === null ||
          Array.isArray(object) ||
          !(expr.property in object)
        ) {
          throw new Error(`${expr.source}: no property ${expr.property}`);
        }
        return (object as Record<string, Value>)[expr.property]!;
      }
      if (expr.name in scope.params) return scope.params[expr.name]!;
      const variable = file.vars.find((v) => v.name === expr.name);
      if (variable) return self(variable.value);
      throw new Error(`${expr.source}: not a parameter, variable or resource`);
    }
    case 'ternary':
      return self(expr.test) === true ? self(expr.then) : self(expr.otherwise);
    case 'unary': {
      const operand = self(expr.operand);
      if (expr.op === '!') return operand !== true;
      return -Number(operand);
    }
    case 'binary': {
      const left = self(expr.left);
      const right = self(expr.right);
      switch (expr.op) {
        case '==':
          return left === right;
        case '!=':
          return left !== right;
        case '&&':
          return left === true && right === true;
        case '||':
          return left === true || right === true;
        case '??':
          return left ?? right;
        default:
          throw new Error(`${expr.source}: operator ${expr.op} is not evaluated here`);
      }
    }
    case 'call': {
      const args = expr.args.map(self);
      const text = (i: number) => {
        const arg = args[i];
        if (typeof arg !== 'string') throw new Error(`${expr.source}: argument ${i + 1} is not a string`);
        return arg;
      };
      switch (expr.callee) {
        case 'union':
          return Object.assign(
            {},
            ...args.map((a) => {
              if (typeof a !== 'object' || a === null || Array.isArray(a)) {
                throw new Error(`${expr.source}: union() of something not an object`);
              }
              return a;
            }),
          ) as Record<string, Value>;
        case 'toLower':
          return text(0).toLowerCase();
        case 'replace':
          return text(0).split(text(1)).join(text(2));
        case 'take':
          return text(0).slice(0, Number(args[1]));
        default:
          throw new Error(`${expr.source}: function ${expr.callee}() is not evaluated here`);
      }
    }
    case 'index':
      throw new Error(`${expr.source}: index access is not evaluated here`);
  }
}
