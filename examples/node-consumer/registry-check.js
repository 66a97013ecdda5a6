#!/usr/bin/env node
// Exercises a schema registry with the official npm client, as a producer and a consumer of
// dirpipe's topics would: register (which also reads and sets the subject's compatibility), look up
// the latest id and an id by schema, encode and decode in the Confluent wire format, and a refused
// incompatible schema. Prints one line per step; exits 1 at the first that fails.
//
//   node registry-check.js --registry http://localhost:8081 --subject example-value
'use strict'

const { SchemaRegistry, SchemaType, COMPATIBILITY } = require('@kafkajs/confluent-schema-registry')

async function main () {
  const args = process.argv.slice(2)
  const arg = (name) => args[args.indexOf(`--${name}`) + 1]
  const registry = new SchemaRegistry({ host: arg('registry') })
  const subject = arg('subject')
  const v1 = {
    type: 'record',
    name: 'Example',
    namespace: 'io.dirpipe.example',
    fields: [{ name: 'id', type: 'string' }]
  }
  const v2 = { ...v1, fields: [...v1.fields, { name: 'note', type: ['null', 'string'], default: null }] }
  const bad = { ...v1, fields: [...v1.fields, { name: 'required', type: 'string' }] }
  const step = (what, ok) => {
    process.stdout.write(`${ok ? 'ok' : 'FAILED'} ${what}\n`)
    if (!ok) process.exitCode = 1
  }

  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(v1) },
    { subject, compatibility: COMPATIBILITY.FULL_TRANSITIVE })
  step(`register ${subject} -> id ${id}`, Number.isInteger(id))
  step('latest id', (await registry.getLatestSchemaId(subject)) === id)
  step('id by schema', (await registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: JSON.stringify(v1) })) === id)
  const bytes = await registry.encode(id, { id: 'x1' })
  step('wire format: magic byte 0, then the id', bytes[0] === 0 && bytes.readInt32BE(1) === id)
  step('decode', (await registry.decode(bytes)).id === 'x1')
  const second = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(v2) },
    { subject, compatibility: COMPATIBILITY.FULL_TRANSITIVE })
  step(`a field with a default: new id ${second.id}`, second.id !== id)
  step('latest is the new one', (await registry.getLatestSchemaId(subject)) === second.id)
  try {
    await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(bad) },
      { subject, compatibility: COMPATIBILITY.FULL_TRANSITIVE })
    step('an incompatible schema is refused', false)
  } catch (e) {
    step(`an incompatible schema is refused: ${e.message.slice(0, 100)}`, /required/.test(e.message))
  }
}

main().catch((e) => {
  process.stdout.write(`FAILED ${e.message}\n`)
  process.exitCode = 1
})
