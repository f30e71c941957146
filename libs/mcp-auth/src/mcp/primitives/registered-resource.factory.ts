import type { Resource, ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import type { McpResourceTemplateOptions } from '../../decorators/mcp-resource-template.decorator.js';
import type { McpResourceOptions } from '../../decorators/mcp-resource.decorator.js';
import { methodInvoker } from './method-invoker.js';
import { type PrimitiveSource, sourceName } from './primitive-source.interface.js';
import type { RegisteredResource, RegisteredResourceTemplate } from './registered-primitive.interface.js';
import { UriTemplateMatcher } from './uri-template.matcher.js';

/** Turns one `@McpResource` method into a `RegisteredResource`. */
export function buildRegisteredResource(source: PrimitiveSource<McpResourceOptions>): RegisteredResource {
  const { uri, name, title, description, mimeType, annotations } = source.options;
  const listing: Resource = { uri, name, ...describe({ title, description, mimeType, annotations }) };
  return {
    kind: 'resource',
    name,
    uri,
    mimeType,
    source: sourceName(source),
    listing: Object.freeze(listing),
    ...source.requirement,
    invoke: methodInvoker(source.instance, source.methodName),
  };
}

/** Turns one `@McpResourceTemplate` method into a `RegisteredResourceTemplate`, its matcher compiled once. */
export function buildRegisteredResourceTemplate(
  source: PrimitiveSource<McpResourceTemplateOptions>,
): RegisteredResourceTemplate {
  const { uriTemplate, name, title, description, mimeType, annotations } = source.options;
  const listing: ResourceTemplate = { uriTemplate, name, ...describe({ title, description, mimeType, annotations }) };
  return {
    kind: 'resourceTemplate',
    name,
    matcher: UriTemplateMatcher.compile(uriTemplate),
    mimeType,
    source: sourceName(source),
    listing: Object.freeze(listing),
    ...source.requirement,
    invoke: methodInvoker(source.instance, source.methodName),
    completions: new Map(),
  };
}

/** The optional listing fields that were given, and only those. */
function describe(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
