package io.unimq.redis.internal;

/**
 * Every Lua script of the adapter. Each runs atomically on the server, which is what makes
 * declaration, scheduling, moving, settling and trimming race-free between any number of clients.
 *
 * <p>Redis Cluster: every script declares the keys it touches, all of one slot (a topic's keys share
 * the hash tag {@code {topic}}, a producer group's half-message keys {@code {producerGroup}}), so a
 * script runs whole on the master serving that slot. The one key a script reaches without declaring
 * it is the target stream {@link #MOVE_DUE} adds a due entry to, which the script first checks to
 * carry its schedule's prefix {@code unimq:{topic}:}, hence the same slot (Redis allows undeclared
 * keys of the script's own slot). PUBLISH reaches every node of a cluster.
 */
final class Scripts {
  private Scripts() {}

  /** KEYS: groups set, partition streams..., retry stream. ARGV: group. Creates the group at '$' everywhere at once. */
  static final Lua DECLARE_GROUP = new Lua("declare-group", """
      for i = 2, #KEYS do
        local ok = redis.pcall('XGROUP', 'CREATE', KEYS[i], ARGV[1], '$', 'MKSTREAM')
        if type(ok) == 'table' and ok.err and not string.find(ok.err, 'BUSYGROUP', 1, true) then
          return redis.error_reply(ok.err)
        end
      end
      redis.call('SADD', KEYS[1], ARGV[1])
      return 1
      """);

  /** KEYS: meta hash. ARGV: default partitions. Returns the topic's partition count, fixing it on first use. */
  static final Lua PARTITIONS = new Lua("partitions", """
      redis.call('HSETNX', KEYS[1], 'partitions', ARGV[1])
      return tonumber(redis.call('HGET', KEYS[1], 'partitions'))
      """);

  private static final String NOW = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      """;

  /**
   * KEYS: schedule zset, schedule data, schedule counts. ARGV: due millis (absolute, or relative
   * when ARGV[6] is 'rel'), member, packed fields ({@link RedisCodec#packedFields}), counter field, topic, mode. Optional KEYS[4]/ARGV[7..8]:
   * a stream, group and entry id to XACK in the same step (retry of a delivery).
   */
  static final Lua SCHEDULE = new Lua("schedule", NOW + """
      local due = tonumber(ARGV[1])
      if ARGV[6] == 'rel' then due = now + due end
      redis.call('ZADD', KEYS[1], due, ARGV[2])
      redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
      redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
      if KEYS[4] then redis.call('XACK', KEYS[4], ARGV[7], ARGV[8]) end
      redis.call('PUBLISH', '$CHANNEL', ARGV[5])
      return due
      """.replace("$CHANNEL", Keys.WAKE_CHANNEL));

  /**
   * KEYS: schedule zset, schedule data, schedule counts. ARGV: batch size. Moves every due entry
   * (ZRANGEBYSCORE, XADD to its target, ZREM) and returns {moved, millis until the next one or -1}.
   * A scheduled entry is its named fields as a MessagePack array ({@link RedisCodec#packedFields}),
   * or, scheduled by an earlier version, the binary envelope (first byte 2), XADDed as field {@code m}.
   * The target (a partition or retry stream of the same topic) must start with the schedule's
   * {@code unimq:{topic}:}: the same hash tag, so the same slot on a Redis Cluster; an entry that
   * does not is an error reply naming it.
   */
  static final Lua MOVE_DUE = new Lua("move-due", NOW + """
      local prefix = string.sub(KEYS[1], 1, #KEYS[1] - #'sched')
      local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
      for _, m in ipairs(due) do
        local p1 = string.find(m, '|', 1, true)
        local p2 = string.find(m, '|', p1 + 1, true)
        local blob = redis.call('HGET', KEYS[2], m)
        if blob then
          local target = string.sub(m, p1 + 1, p2 - 1)
          if string.sub(target, 1, #prefix) ~= prefix then
            return redis.error_reply('unimq: scheduled entry ' .. m .. ' targets ' .. target .. ', not a key of ' .. prefix)
          end
          if string.byte(blob, 1) == 2 then
            redis.call('XADD', target, '*', 'm', blob)
          else
            redis.call('XADD', target, '*', unpack(cmsgpack.unpack(blob)))
          end
        end
        redis.call('ZREM', KEYS[1], m)
        redis.call('HDEL', KEYS[2], m)
        redis.call('HINCRBY', KEYS[3], string.sub(m, 1, p1 - 1), -1)
      end
      local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
      local wait = -1
      if first[2] then wait = math.max(0, tonumber(first[2]) - now) end
      return {#due, wait}
      """);

  /** KEYS: dead-letter stream, source stream. ARGV: envelope, group, entry id. */
  static final Lua DEAD_LETTER = new Lua("dead-letter", """
      redis.call('XADD', KEYS[1], '*', 'm', ARGV[1])
      return redis.call('XACK', KEYS[2], ARGV[2], ARGV[3])
      """);

  /**
   * KEYS: streams. ARGV: group, consumer, max, reclaim idle millis (0: none), then one id per
   * stream ('>' for new entries, an id to re-read this consumer's own pending ones). Reclaims
   * entries idle longer than the lease (XAUTOCLAIM) first, then reads, never more than max in
   * all. Returns {key, entries, asked} per stream read.
   */
  static final Lua FETCH = new Lua("fetch", """
      local g, c, idle = ARGV[1], ARGV[2], tonumber(ARGV[4])
      local left = tonumber(ARGV[3])
      local out = {}
      for i, key in ipairs(KEYS) do
        if left <= 0 then break end
        local id = ARGV[4 + i]
        local entries = {}
        local asked = left
        if idle > 0 and id == '>' then
          local cursor = '0-0'
          for _ = 1, 20 do
            local r = redis.call('XAUTOCLAIM', key, g, c, idle, cursor, 'COUNT', left)
            for _, e in ipairs(r[2]) do
              table.insert(entries, e)
              left = left - 1
            end
            cursor = r[1]
            if cursor == '0-0' or left <= 0 then break end
          end
        end
        if left > 0 then
          local r = redis.call('XREADGROUP', 'GROUP', g, c, 'COUNT', left, 'STREAMS', key, id)
          if r then
            for _, e in ipairs(r[1][2]) do
              table.insert(entries, e)
              left = left - 1
            end
          end
        end
        if #entries > 0 or id ~= '>' then table.insert(out, {key, entries, asked}) end
      end
      return out
      """);

  /**
   * KEYS: stream. ARGV: group, consumer, idle millis, ids. Sets the idle time of the entries this
   * consumer still owns: 0 keeps them from being reclaimed (long handlers), a large value hands
   * them back at once (release). Entries another consumer took over are left alone.
   */
  static final Lua SET_IDLE = new Lua("set-idle", """
      local n = 0
      for i = 4, #ARGV do
        local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
        if p[1] and p[1][2] == ARGV[2] then
          redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'IDLE', ARGV[3], 'JUSTID')
          n = n + 1
        end
      end
      return n
      """);

  /** KEYS: stream. ARGV: group, consumer. Takes over every pending entry of the group (a new partition owner). */
  static final Lua CLAIM_ALL = new Lua("claim-all", """
      local cursor, n = '0-0', 0
      for _ = 1, 1000 do
        local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, cursor, 'COUNT', 100, 'JUSTID')
        n = n + #r[2]
        cursor = r[1]
        if cursor == '0-0' then break end
      end
      return n
      """);

  /** KEYS: lease. ARGV: owner, millis. Renews if still ours. */
  static final Lua RENEW = new Lua("renew", """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
      return 0
      """);

  /** KEYS: lease. ARGV: owner. Deletes if still ours. */
  static final Lua RELEASE = new Lua("release", """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """);

  /** KEYS: members zset. ARGV: member, lease millis. Heartbeat; returns the number of live members. */
  static final Lua HEARTBEAT = new Lua("heartbeat", NOW + """
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
      redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
      return redis.call('ZCARD', KEYS[1])
      """);

  private static final String GROUP_TABLE = """
      local function fields(flat)
        local t = {}
        for j = 1, #flat, 2 do t[flat[j]] = flat[j + 1] end
        return t
      end
      """;

  /**
   * KEYS: partition and retry streams, schedule counts. ARGV: group. Lag of a group: XINFO GROUPS
   * lag + pending on each stream (counting entries when Redis cannot tell the lag), plus scheduled
   * delays and retries.
   */
  static final Lua LAG = new Lua("lag", GROUP_TABLE + """
      local total = 0
      for i = 1, #KEYS - 1 do
        if redis.call('EXISTS', KEYS[i]) == 1 then
          for _, flat in ipairs(redis.call('XINFO', 'GROUPS', KEYS[i])) do
            local g = fields(flat)
            if g['name'] == ARGV[1] then
              local lag = g['lag']
              if not lag then lag = #redis.call('XRANGE', KEYS[i], '(' .. g['last-delivered-id'], '+') end
              total = total + lag + g['pending']
            end
          end
        end
      end
      local counts = KEYS[#KEYS]
      total = total + tonumber(redis.call('HGET', counts, '*') or '0') + tonumber(redis.call('HGET', counts, 'r:' .. ARGV[1]) or '0')
      return total
      """);

  /**
   * KEYS: stream. ARGV: idle millis after which an empty consumer is deleted. Trims below the oldest
   * entry that some group still has pending, or has not been delivered yet; a stream without
   * groups is emptied (no group can ever read its entries). Returns the number trimmed.
   */
  static final Lua TRIM = new Lua("trim", GROUP_TABLE + """
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      local function parse(id)
        local d = string.find(id, '-', 1, true)
        return tonumber(string.sub(id, 1, d - 1)), tonumber(string.sub(id, d + 1))
      end
      local minMs, minSeq = nil, nil
      for _, flat in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
        local g = fields(flat)
        local ms, seq
        local p = redis.call('XPENDING', KEYS[1], g['name'])
        if p[1] > 0 then
          ms, seq = parse(p[2])
        else
          ms, seq = parse(g['last-delivered-id'])
          seq = seq + 1
        end
        if not minMs or ms < minMs or (ms == minMs and seq < minSeq) then minMs, minSeq = ms, seq end
        for _, cflat in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], g['name'])) do
          local c = fields(cflat)
          if c['pending'] == 0 and c['idle'] > tonumber(ARGV[1]) then
            redis.call('XGROUP', 'DELCONSUMER', KEYS[1], g['name'], c['name'])
          end
        end
      end
      if not minMs then return redis.call('XTRIM', KEYS[1], 'MAXLEN', 0) end
      return redis.call('XTRIM', KEYS[1], 'MINID', string.format('%.0f-%.0f', minMs, minSeq))
      """);

  /** KEYS: half data hash, half due zset. ARGV: id, envelope, check-at millis. */
  static final Lua HALF_PUT = new Lua("half-put", """
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
      redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
      return 1
      """);

  /** KEYS: half data hash, half due zset. ARGV: id. 1 if this call removed it. */
  static final Lua HALF_REMOVE = new Lua("half-remove", """
      local n = redis.call('HDEL', KEYS[1], ARGV[1])
      redis.call('ZREM', KEYS[2], ARGV[1])
      return n
      """);

  /** KEYS: half data hash, half due zset. ARGV: now millis, next check millis, max. Claims due halves. */
  static final Lua HALF_CLAIM = new Lua("half-claim", """
      local out = {}
      for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))) do
        local blob = redis.call('HGET', KEYS[1], id)
        if blob then
          redis.call('ZADD', KEYS[2], ARGV[2], id)
          table.insert(out, blob)
        else
          redis.call('ZREM', KEYS[2], id)
        end
      end
      return out
      """);
}
