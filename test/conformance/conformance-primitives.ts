// What the MCP conformance suite (@modelcontextprotocol/conformance 0.1.16, server scenarios) expects a server to
// expose, declared with the library's public decorators only. Names and payloads follow the scenarios' own
// descriptions (tools/resources/prompts/utils .ts in the suite).
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import {
  type JsonObjectSchema,
  McpArgs,
  McpCompletion,
  McpContext,
  McpPrompt,
  McpRequestContext,
  McpResource,
  McpResourceTemplate,
  McpTool,
  RequireScopes,
} from 'nest-mcp-auth';

/** The scope the fixture's token carries: every primitive here requires it, so the suite runs authorized. */
export const CONFORMANCE_SCOPE = 'conformance';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

const JSON_SCHEMA_2020_12: JsonObjectSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
  },
  properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
  additionalProperties: false,
};

@Injectable()
@RequireScopes(CONFORMANCE_SCOPE)
export class ConformanceTools {
  @McpTool({ name: 'test_simple_text', description: 'Returns simple text' })
  simpleText(): string {
    return 'This is a simple text response for testing.';
  }

  @McpTool({ name: 'test_image_content', description: 'Returns an image' })
  image() {
    return { content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] };
  }

  @McpTool({ name: 'test_audio_content', description: 'Returns audio' })
  audio() {
    return { content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }] };
  }

  @McpTool({ name: 'test_embedded_resource', description: 'Returns an embedded resource' })
  embeddedResource() {
    const resource = { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'Embedded resource content.' };
    return { content: [{ type: 'resource', resource }] };
  }

  @McpTool({ name: 'test_multiple_content_types', description: 'Returns text, an image and a resource' })
  multipleContentTypes() {
    return {
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PNG, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: '{"test":"data"}' },
        },
      ],
    };
  }

  @McpTool({ name: 'test_tool_with_logging', description: 'Logs three messages while it runs' })
  async withLogging(@McpContext() context: McpRequestContext): Promise<string> {
    await context.log('info', 'Tool execution started');
    await sleep(50);
    await context.log('info', 'Tool processing data');
    await sleep(50);
    await context.log('info', 'Tool execution completed');
    return 'Tool with logging executed successfully';
  }

  @McpTool({ name: 'test_tool_with_progress', description: 'Reports progress three times' })
  async withProgress(@McpContext() context: McpRequestContext): Promise<string> {
    for (const step of [0, 50, 100]) {
      await context.progress(step, 100, `Completed step ${step} of 100`);
      if (step < 100) await sleep(50);
    }
    return String(context._meta?.progressToken ?? 'no progress token');
  }

  @McpTool({ name: 'test_error_handling', description: 'Always fails' })
  fail(): never {
    throw new Error('This tool intentionally returns an error for testing');
  }

  @McpTool({
    name: 'test_sampling',
    description: 'Asks the client model for a completion',
    input: { prompt: z.string().describe('The prompt to send to the LLM') },
  })
  async sampling(@McpArgs('prompt') prompt: string, @McpContext() context: McpRequestContext): Promise<string> {
    const result = await context.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
      maxTokens: 100,
    });
    return `LLM response: ${result.content.type === 'text' ? result.content.text : result.content.type}`;
  }

  @McpTool({
    name: 'test_elicitation',
    description: 'Asks the user for their details',
    input: { message: z.string().describe('The message to show the user') },
  })
  async elicitation(@McpArgs('message') message: string, @McpContext() context: McpRequestContext): Promise<string> {
    const answer = await context.elicit(message, {
      type: 'object',
      properties: {
        username: { type: 'string', description: "User's response" },
        email: { type: 'string', description: "User's email address" },
      },
      required: ['username', 'email'],
    });
    return `User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
  }

  @McpTool({ name: 'test_elicitation_sep1034_defaults', description: 'Elicitation with defaults (SEP-1034)' })
  async elicitationDefaults(@McpContext() context: McpRequestContext): Promise<string> {
    const answer = await context.elicit('Please review and update the form fields with defaults', {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'User name', default: 'John Doe' },
        age: { type: 'integer', description: 'User age', default: 30 },
        score: { type: 'number', description: 'User score', default: 95.5 },
        status: {
          type: 'string',
          description: 'User status',
          enum: ['active', 'inactive', 'pending'],
          default: 'active',
        },
        verified: { type: 'boolean', description: 'Verification status', default: true },
      },
      required: [],
    });
    return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
  }

  @McpTool({ name: 'test_elicitation_sep1330_enums', description: 'Elicitation with every enum form (SEP-1330)' })
  async elicitationEnums(@McpContext() context: McpRequestContext): Promise<string> {
    const titled = (values: string[], titles: string[]) =>
      values.map((value, i) => ({ const: value, title: titles[i] }));
    const answer = await context.elicit('Please select options from the enum fields', {
      type: 'object',
      properties: {
        untitledSingle: { type: 'string', description: 'Select one option', enum: ['option1', 'option2', 'option3'] },
        titledSingle: {
          type: 'string',
          description: 'Select one option with titles',
          oneOf: titled(['value1', 'value2', 'value3'], ['First Option', 'Second Option', 'Third Option']),
        },
        legacyEnum: {
          type: 'string',
          description: 'Select one option (legacy)',
          enum: ['opt1', 'opt2', 'opt3'],
          enumNames: ['Option One', 'Option Two', 'Option Three'],
        },
        untitledMulti: {
          type: 'array',
          description: 'Select multiple options',
          minItems: 1,
          maxItems: 3,
          items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
        },
        titledMulti: {
          type: 'array',
          description: 'Select multiple options with titles',
          minItems: 1,
          maxItems: 3,
          items: { anyOf: titled(['value1', 'value2', 'value3'], ['First Choice', 'Second Choice', 'Third Choice']) },
        },
      },
      required: [],
    } as Parameters<McpRequestContext['elicit']>[1]);
    return `Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`;
  }

  @McpTool({
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features (SEP-1613)',
    input: JSON_SCHEMA_2020_12,
  })
  jsonSchema(@McpArgs() args: unknown): string {
    return `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`;
  }
}

@Injectable()
@RequireScopes(CONFORMANCE_SCOPE)
export class ConformanceResources {
  @McpResource({ uri: 'test://static-text', name: 'static-text', title: 'Static Text', mimeType: 'text/plain' })
  staticText(): string {
    return 'This is the content of the static text resource.';
  }

  @McpResource({ uri: 'test://static-binary', name: 'static-binary', title: 'Static Binary', mimeType: 'image/png' })
  staticBinary(): Buffer {
    return Buffer.from(PNG, 'base64');
  }

  @McpResource({ uri: 'test://watched-resource', name: 'watched-resource', mimeType: 'text/plain' })
  watched(): string {
    return 'Watched resource content';
  }

  @McpResourceTemplate({ uriTemplate: 'test://template/{id}/data', name: 'template', mimeType: 'application/json' })
  template(@McpArgs('id') id: string): string {
    return JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` });
  }
}

@Injectable()
@RequireScopes(CONFORMANCE_SCOPE)
export class ConformancePrompts {
  @McpPrompt({ name: 'test_simple_prompt', description: 'A prompt without arguments' })
  simple(): string {
    return 'This is a simple prompt for testing.';
  }

  @McpPrompt({
    name: 'test_prompt_with_arguments',
    description: 'A prompt with required arguments',
    args: { arg1: z.string().describe('First test argument'), arg2: z.string().describe('Second test argument') },
  })
  withArguments(@McpArgs() { arg1, arg2 }: { arg1: string; arg2: string }): string {
    return `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`;
  }

  @McpCompletion({ prompt: 'test_prompt_with_arguments', argument: 'arg1' })
  completeArg1(value: string): string[] {
    return ['paris', 'park', 'party', 'test-value'].filter((candidate) => candidate.startsWith(value));
  }

  @McpPrompt({
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt that embeds a resource',
    args: { resourceUri: z.string().describe('URI of the resource to embed') },
  })
  withEmbeddedResource(@McpArgs('resourceUri') uri: string) {
    return [
      { role: 'user', content: { type: 'resource', resource: { uri, mimeType: 'text/plain', text: 'Embedded.' } } },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ];
  }

  @McpPrompt({ name: 'test_prompt_with_image', description: 'A prompt with an image' })
  withImage() {
    return [
      { role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ];
  }
}
