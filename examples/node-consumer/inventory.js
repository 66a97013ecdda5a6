#!/usr/bin/env node
// Reads dirpipe's topics knowing nothing of dirpipe but their names and the contract's field names
// (schemas/CONTRACT.md): the users inventory from inventory.users, the same inventory folded from
// the change events of changes.users (Debezium's envelope: op c/r/u/d, before, after), and the
// group memberships held now from changes.memberships (op ADD/REMOVE).
//
// Prints the users inventory as JSON lines, one object per user: tenantId, then the user's fields,
// as `dirpipe replay --collection users --out FILE` writes them. A summary goes to standard error.
// Exits 1 when the inventory topic and the folded change events disagree.
//
//   node inventory.js --brokers localhost:9092 --registry http://localhost:8081 \
//     [--prefix dirpipe.] [--format avro-registry|json]
'use strict'

const { Kafka, logLevel, CompressionTypes, CompressionCodecs } = require('kafkajs')
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry')
const avro = require('avsc')
const lz4 = require('lz4js')

// dirpipe's producers compress with lz4 (as librdkafka, Spark, Flink and Connect read natively);
// kafkajs reads only gzip without a codec, so here is one in plain JavaScript.
CompressionCodecs[CompressionTypes.LZ4] = () => ({
  compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
  decompress: async (buffer) => Buffer.from(lz4.decompress(buffer))
})

function options (argv) {
  const o = { prefix: 'dirpipe.', format: 'avro-registry' }
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '')
    if (!['brokers', 'registry', 'prefix', 'format'].includes(name) || argv[i + 1] === undefined) {
      throw new Error(`Unknown or incomplete option ${argv[i]}: use --brokers, --registry, --prefix, --format`)
    }
    o[name] = argv[i + 1]
  }
  if (!o.brokers) throw new Error('--brokers host:port is required')
  if (!['avro-registry', 'json'].includes(o.format)) throw new Error(`--format ${o.format}: use avro-registry or json`)
  if (o.format === 'avro-registry' && !o.registry) throw new Error('--registry URL is required with --format avro-registry')
  return o
}

// Avro timestamp-millis as ISO-8601, as dirpipe's JSON format and `dirpipe replay` write them.
class TimestampMillis extends avro.types.LogicalType {
  _fromValue (value) { return new Date(value).toISOString().replace('.000Z', 'Z') }
  _toValue (value) { return typeof value === 'string' ? Date.parse(value) : value }
  _resolve (type) { if (avro.Type.isType(type, 'long', 'logical:timestamp-millis')) return this._fromValue }
}

function decoder (o) {
  if (o.format === 'json') {
    return async (bytes) => (bytes === null ? null : JSON.parse(bytes.toString('utf8')))
  }
  const registry = new SchemaRegistry(
    { host: o.registry },
    { [SchemaType.AVRO]: { logicalTypes: { 'timestamp-millis': TimestampMillis } } })
  return async (bytes) => (bytes === null ? null : registry.decode(bytes))
}

// Every record of the topics, each passed to onRecord, up to the end offsets they had at the start.
async function readAll (kafka, topics, decode, onRecord) {
  const admin = kafka.admin()
  await admin.connect()
  const ends = new Map() // "topic/partition" -> the high watermark at the start
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}/${p.partition}`, BigInt(p.high))
    }
  }
  await admin.disconnect()
  if (ends.size === 0) return
  const consumer = kafka.consumer({ groupId: `inventory-example-${process.pid}-${Date.now()}` })
  await consumer.connect()
  await consumer.subscribe({ topics, fromBeginning: true })
  let finish, fail
  const done = new Promise((resolve, reject) => { finish = resolve; fail = reject })
  consumer.on(consumer.events.CRASH, ({ payload }) => fail(payload.error))
  // a batch of only transaction markers reaches no handler: its end is seen here
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const key = `${payload.topic}/${payload.partition}`
    if (ends.has(key) && BigInt(payload.lastOffset) + 1n >= ends.get(key)) {
      ends.delete(key)
      if (ends.size === 0) finish()
    }
  })
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      onRecord(topic, await decode(message.key), await decode(message.value))
    }
  })
  await done
  await consumer.disconnect()
}

const byKey = (k) => `${k.tenantId}/${k.objectId}`

async function main () {
  const o = options(process.argv.slice(2))
  const topics = {
    inventory: `${o.prefix}inventory.users`,
    changes: `${o.prefix}changes.users`,
    memberships: `${o.prefix}changes.memberships`
  }
  const kafka = new Kafka({ clientId: 'dirpipe-inventory-example', brokers: o.brokers.split(','), logLevel: logLevel.ERROR })
  const inventory = new Map() // from inventory.users: the latest value per key, a tombstone deletes
  const folded = new Map() // from changes.users: after for c, r and u; d deletes
  const memberships = new Map() // from changes.memberships: ADD holds, REMOVE ends
  let changeEvents = 0
  await readAll(kafka, Object.values(topics), decoder(o), (topic, key, value) => {
    if (topic === topics.inventory) {
      if (value === null) inventory.delete(byKey(key))
      else inventory.set(byKey(key), { tenantId: key.tenantId, ...value })
    } else if (topic === topics.changes) {
      changeEvents++
      if (value.op === 'd') folded.delete(byKey(key))
      else folded.set(byKey(key), { tenantId: key.tenantId, ...value.after })
    } else if (value.op === 'ADD') {
      memberships.set(`${key.tenantId}/${key.groupId}/${key.memberId}`, true)
    } else {
      memberships.delete(`${key.tenantId}/${key.groupId}/${key.memberId}`)
    }
  })
  const lines = (m) => [...m.keys()].sort().map((k) => JSON.stringify(m.get(k)))
  const fromInventory = lines(inventory)
  const fromChanges = lines(folded)
  process.stdout.write(fromInventory.map((l) => l + '\n').join(''))
  const agree = fromInventory.length === fromChanges.length && fromInventory.every((l, i) => l === fromChanges[i])
  process.stderr.write(
    `users: ${fromInventory.length} in ${topics.inventory}, ${fromChanges.length} from ${changeEvents} change events` +
    ` of ${topics.changes} (${agree ? 'they agree' : 'THEY DISAGREE'}); memberships held: ${memberships.size}\n`)
  process.exitCode = agree ? 0 : 1
}

let finished = false
main().then(() => { finished = true }, (e) => {
  finished = true
  process.stderr.write(`inventory.js: ${e.message}\n`)
  process.exitCode = 2
})
process.on('exit', () => {
  if (!finished) {
    process.stderr.write('inventory.js: stopped before reading every topic to its end\n')
    process.exitCode = 2
  }
})
