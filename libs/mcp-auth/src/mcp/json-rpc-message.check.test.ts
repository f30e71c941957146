import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { isJsonRpcMessage } from './json-rpc-message.check.js';

const RELATED = '"io.modelcontextprotocol/related-task"';

/** Bodies as they arrive (JSON text, parsed like a body parser would), accepted and refused alike. */
const CASES = [
  // Requests and notifications.
  '{"jsonrpc":"2.0","id":1,"method":"ping"}',
  '{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"x","arguments":{"a":1}}}',
  '{"jsonrpc":"2.0","id":-0,"method":"ping"}',
  '{"jsonrpc":"2.0","id":1.5,"method":"ping"}',
  '{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}',
  '{"jsonrpc":"2.0","id":null,"method":"ping"}',
  '{"jsonrpc":"2.0","id":true,"method":"ping"}',
  '{"jsonrpc":"2.0","id":1,"method":5}',
  '{"jsonrpc":"1.0","id":1,"method":"ping"}',
  '{"id":1,"method":"ping"}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","extra":1}',
  '{"jsonrpc":"2.0","method":"notifications/initialized"}',
  '{"jsonrpc":"2.0","method":"notifications/x","extra":1}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":[]}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":null}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":"x"}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{}}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":5}}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":[]}}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{}}}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"progressToken":"t","other":1}}}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"progressToken":1.5}}}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"progressToken":null}}}',
  `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{${RELATED}:{"taskId":"t"}}}}`,
  `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{${RELATED}:{"taskId":1}}}}`,
  `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{${RELATED}:"t"}}}`,
  '{"jsonrpc":"2.0","method":"notifications/progress","params":{"_meta":7}}',
  '{"__proto__":{"x":1},"jsonrpc":"2.0","id":1,"method":"ping"}',
  '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"__proto__":{"_meta":5}}}',
  // Responses (a client answering a server-to-client request).
  '{"jsonrpc":"2.0","id":1,"result":{}}',
  '{"jsonrpc":"2.0","id":1,"result":{"roots":[]}}',
  '{"jsonrpc":"2.0","id":1,"result":[]}',
  '{"jsonrpc":"2.0","id":1,"result":null}',
  '{"jsonrpc":"2.0","id":1,"result":{"_meta":5}}',
  '{"jsonrpc":"2.0","result":{}}',
  '{"jsonrpc":"2.0","id":1,"result":{},"extra":1}',
  '{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}',
  '{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"m"}}',
  '{"jsonrpc":"2.0","error":{"code":-32600,"message":"m","data":{"x":1},"more":1}}',
  '{"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"m"}}',
  '{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":2}}',
  '{"jsonrpc":"2.0","id":1,"error":[]}',
  '{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"m"},"extra":1}',
  '{"jsonrpc":"2.0","id":1}',
  // Not objects.
  '[]',
  'null',
  '"x"',
  '42',
];

describe('isJsonRpcMessage', () => {
  it("gives the SDK schema's answer for every message (what it accepts, the SDK's Server answers)", () => {
    const disagreements = CASES.filter((text) => {
      const value: unknown = JSON.parse(text);
      return isJsonRpcMessage(value) !== JSONRPCMessageSchema.safeParse(value).success;
    });
    assert.deepEqual(disagreements, []);
  });

  it('accepts the ordinary messages and refuses what would hang a stateless request', () => {
    assert.equal(isJsonRpcMessage(JSON.parse(CASES[1])), true);
    assert.equal(isJsonRpcMessage(JSON.parse('{"jsonrpc":"2.0","id":1,"method":"ping","extra":1}')), false);
    assert.equal(isJsonRpcMessage(JSON.parse('{"jsonrpc":"2.0","id":1,"method":"ping","params":[]}')), false);
  });
});
