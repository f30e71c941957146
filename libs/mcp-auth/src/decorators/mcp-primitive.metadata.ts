import { McpAuthConfigurationError } from '../errors/mcp-auth.errors.js';
import { MCP_PRIMITIVE_METADATA } from './metadata-keys.js';
import type { McpPromptOptions } from './mcp-prompt.decorator.js';
import type { McpResourceTemplateOptions } from './mcp-resource-template.decorator.js';
import type { McpResourceOptions } from './mcp-resource.decorator.js';
import type { McpToolOptions } from './mcp-tool.decorator.js';

/** The options each kind of MCP primitive is declared with. */
export interface McpPrimitiveOptionsByKind {
  tool: McpToolOptions;
  resource: McpResourceOptions;
  resourceTemplate: McpResourceTemplateOptions;
  prompt: McpPromptOptions;
}

/** The kinds of MCP primitive a method can serve. */
export type McpPrimitiveKind = keyof McpPrimitiveOptionsByKind;

/** What a primitive decorator stores on its method: the kind and a frozen copy of the options. */
export type McpPrimitiveMetadata = {
  [K in McpPrimitiveKind]: { readonly kind: K; readonly options: Readonly<McpPrimitiveOptionsByKind[K]> };
}[McpPrimitiveKind];

const DECORATOR_NAMES: Readonly<Record<McpPrimitiveKind, string>> = {
  tool: '@McpTool',
  resource: '@McpResource',
  resourceTemplate: '@McpResourceTemplate',
  prompt: '@McpPrompt',
};

/**
 * The one way every primitive decorator stores its metadata. The options were validated by the caller;
 * this freezes a copy (later changes to the caller's object cannot change the primitive) and enforces that
 * a method serves exactly one primitive.
 */
export function primitiveDecorator<K extends McpPrimitiveKind>(
  kind: K,
  label: string,
  options: McpPrimitiveOptionsByKind[K],
): MethodDecorator {
  const metadata = Object.freeze({ kind, options: Object.freeze({ ...options }) }) as unknown as McpPrimitiveMetadata;
  return (target, propertyKey, descriptor) => {
    const owner = (target as { constructor?: { name?: string } }).constructor?.name ?? 'Object';
    const where = `${owner}.${String(propertyKey)}`;
    if (typeof descriptor.value !== 'function') {
      throw new McpAuthConfigurationError(`${DECORATOR_NAMES[kind]}(${label}) on ${where} must decorate a method`);
    }
    const existing = getPrimitiveMetadata(descriptor.value);
    if (existing) {
      throw new McpAuthConfigurationError(
        `${where} has both ${DECORATOR_NAMES[kind]}(${label}) and ${DECORATOR_NAMES[existing.kind]}(): ` +
          'a method serves one MCP primitive, so put the other one on its own method',
      );
    }
    Reflect.defineMetadata(MCP_PRIMITIVE_METADATA, metadata, descriptor.value);
  };
}

/** The primitive a method serves, if any. */
export function getPrimitiveMetadata(method: object): McpPrimitiveMetadata | undefined {
  return Reflect.getMetadata(MCP_PRIMITIVE_METADATA, method) as McpPrimitiveMetadata | undefined;
}

/** A display name, description or title: a non-empty string when given. */
export function checkText(decorator: string, field: string, value: unknown, required = false): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new McpAuthConfigurationError(`${decorator}: \`${field}\` must be a non-empty string, got ${String(value)}`);
  }
}
