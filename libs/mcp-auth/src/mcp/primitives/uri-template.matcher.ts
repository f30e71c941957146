/** URIs longer than this never match a template (they are attacker input, read before authentication). */
export const MAX_RESOURCE_URI_LENGTH = 4096;
const MAX_TEMPLATE_LENGTH = 1024;
const VARIABLE_NAME = /^[A-Za-z0-9_]+$/;

type Operator = '' | '+' | '/' | '.' | '?' | '&';

interface Expression {
  operator: Operator;
  names: string[];
}

/**
 * An RFC 6570 URI template compiled once, at bootstrap, into a matcher that runs in linear time.
 *
 * The SDK's `UriTemplate.match` builds a regular expression on every call, and the expressions it builds for
 * templates such as `{a}.{b}` or `{+a}/{+b}` backtrack polynomially on a long URI that almost matches; URIs
 * come from clients, before authentication. This matcher scans instead of backtracking:
 * a variable ends at the first occurrence of the text that follows it in the template, except the last
 * variable before the template's final text, which extends to that suffix.
 *
 * Supported (levels 1-3 as the MCP SDK uses them): `{var}`, `{+var}` (may contain `/`), `{/var}`, `{.var}`,
 * and a final `{?a,b}` / `{&a,b}` (query parameters, each optional). Not supported, refused when compiling:
 * explode and prefix modifiers (`{var*}`, `{var:3}`), fragments (`{#var}`), several names in one
 * non-query expression, and two expressions with nothing between them (they could split a value anywhere).
 * Values are percent-decoded; an empty value or one with a malformed escape does not match.
 */
export class UriTemplateMatcher {
  /** The variable names, in template order. */
  readonly variableNames: readonly string[];
  /** The template with its variable names erased: two templates with one shape match the same URIs. */
  readonly shape: string;

  private constructor(
    readonly template: string,
    private readonly literals: string[],
    private readonly expressions: Expression[],
  ) {
    this.variableNames = Object.freeze(expressions.flatMap((expression) => expression.names));
    this.shape = literals.reduce(
      (shape, literal, i) => shape + literal + (i < expressions.length ? `{${expressions[i].operator}}` : ''),
      '',
    );
  }

  /** @throws Error saying what in `template` is not supported. */
  static compile(template: string): UriTemplateMatcher {
    if (typeof template !== 'string' || template.length === 0 || template.length > MAX_TEMPLATE_LENGTH) {
      throw new Error(`a URI template is a string of 1 to ${MAX_TEMPLATE_LENGTH} characters`);
    }
    const literals: string[] = [];
    const expressions: Expression[] = [];
    let rest = template;
    for (;;) {
      const open = rest.indexOf('{');
      const literal = open === -1 ? rest : rest.slice(0, open);
      if (literal.includes('}')) throw new Error('"}" without a matching "{"');
      literals.push(literal);
      if (open === -1) break;
      const close = rest.indexOf('}', open);
      if (close === -1) throw new Error('"{" without a matching "}"');
      expressions.push(parseExpression(rest.slice(open + 1, close)));
      rest = rest.slice(close + 1);
    }
    if (expressions.length === 0) throw new Error('it has no {variable}');
    checkUnambiguous(literals, expressions);
    return new UriTemplateMatcher(template, literals, expressions);
  }

  /** The variables of `uri`, or `undefined` when it does not match (or is longer than the bound). */
  match(uri: string): Record<string, string> | undefined {
    if (uri.length > MAX_RESOURCE_URI_LENGTH || !uri.startsWith(this.literals[0])) return undefined;
    const variables: Record<string, string> = {};
    let position = this.literals[0].length;
    const last = this.expressions.length - 1;
    for (let i = 0; i <= last; i++) {
      const { operator, names } = this.expressions[i];
      if (operator === '?' || operator === '&') return readQuery(uri, position, operator, names, variables);
      if (operator === '/' || operator === '.') {
        if (uri[position] !== operator) return undefined;
        position++;
      }
      const after = this.literals[i + 1];
      let end: number;
      if (after !== '') {
        end = i === last ? (uri.endsWith(after) ? uri.length - after.length : -1) : uri.indexOf(after, position);
      } else if (i < last) {
        // The next expression starts with its operator (`/`, `.`, `?`, `&`): that character ends this value.
        const next = this.expressions[i + 1].operator;
        end = uri.indexOf(next, position);
        if (end === -1 && (next === '?' || next === '&')) end = uri.length; // query parameters are optional
      } else {
        end = uri.length;
      }
      if (end <= position) return undefined;
      const value = decode(uri.slice(position, end), operator === '+');
      if (value === undefined) return undefined;
      variables[names[0]] = value;
      position = end + after.length;
    }
    return position === uri.length ? variables : undefined;
  }
}

function parseExpression(body: string): Expression {
  const first = body[0];
  if (first === '#') throw new Error(`fragment expressions ({#...}) are not supported: "{${body}}"`);
  const operator = (['+', '/', '.', '?', '&'].includes(first) ? first : '') as Operator;
  const names = body.slice(operator.length).split(',');
  for (const name of names) {
    if (name.endsWith('*') || name.includes(':')) {
      throw new Error(`explode and prefix modifiers are not supported: "{${body}}"`);
    }
    if (!VARIABLE_NAME.test(name)) throw new Error(`"${name}" in "{${body}}" is not a variable name (A-Z a-z 0-9 _)`);
  }
  if (names.length > 1 && operator !== '?' && operator !== '&') {
    throw new Error(`only query expressions may name several variables: "{${body}}"`);
  }
  return { operator, names };
}

function checkUnambiguous(literals: string[], expressions: Expression[]): void {
  const seen = new Set<string>();
  expressions.forEach(({ operator, names }, i) => {
    for (const name of names) {
      if (seen.has(name)) throw new Error(`variable "${name}" appears twice`);
      seen.add(name);
    }
    const isQuery = operator === '?' || operator === '&';
    if (isQuery && (i !== expressions.length - 1 || literals[i + 1] !== '')) {
      throw new Error('a query expression ({?...} or {&...}) must end the template');
    }
    const next = expressions[i + 1];
    if (next && literals[i + 1] === '' && (next.operator === '' || next.operator === '+')) {
      throw new Error('two variables with nothing between them could split a value anywhere');
    }
  });
}

/** Query parameters after `position`: each `name=value` names a template variable, at most once. */
function readQuery(
  uri: string,
  position: number,
  operator: '?' | '&',
  names: string[],
  variables: Record<string, string>,
): Record<string, string> | undefined {
  if (position === uri.length) return variables;
  if (uri[position] !== operator) return undefined;
  for (const pair of uri.slice(position + 1).split('&')) {
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    if (!names.includes(name) || name in variables) return undefined;
    const value = decode(equals === -1 ? '' : pair.slice(equals + 1), true);
    if (value === undefined) return undefined;
    variables[name] = value;
  }
  return variables;
}

/** Percent-decodes a value; `/` is allowed in reserved (`+`) and query values only. */
function decode(raw: string, slashAllowed: boolean): string | undefined {
  if (!slashAllowed && raw.includes('/')) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
