-- Open-loop pacing for wrk (wrk2's idea in a script): every wrk thread owns exactly one connection (run with -t N -c N),
-- so the thread's Lua state is that connection's state. Request i of a connection is due at start + offset + i * interval;
-- delay() waits until it is due, and response() measures latency from the due time (or from the send, when wrk's
-- millisecond timer sent it a little early), so a server stall shows in every request due during it: the correction for
-- coordinated omission that wrk's own closed-loop figures do not make.
--
-- Arguments after "--": data file (Lua defining keys, wallets, mode, batch, rate, threads, run), phase label.
-- done() prints the merged latency histogram as "lat <micros> <count>" lines and the counts as "count <name> <n>" lines,
-- which io.walleye.bench.Wrk parses into an HdrHistogram.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } walleye_timespec;
  int clock_gettime(int clock, walleye_timespec *ts);
]]
local ts = ffi.new("walleye_timespec")
local function micros()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC: shared by all threads of the process
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local thread_list = {}
local created = 0
-- Every connection's schedule starts here: a second after the script loads, once wrk has made its threads and
-- connections (io.walleye.bench.Wrk runs wrk for a second more than the measured duration).
local schedule_start = micros() + 1000000

function setup(thread)
  created = created + 1
  thread:set("tid", created)
  thread:set("start_us", schedule_start)
  table.insert(thread_list, thread)
end

-- Keep 3 significant digits above a millisecond: under 1 % error, and a few thousand distinct keys at most.
local function bucket(v)
  if v < 1000 then return v end
  local scale = 1
  while v >= 1000 do v = math.floor(v / 10); scale = scale * 10 end
  return v * scale
end

function init(args)
  dofile(args[1])
  phase = args[2] or "run"
  interval = threads * 1000000 / rate
  -- A thread whose data file loaded after the common start (a busy machine) starts its schedule when it is ready,
  -- rather than beginning a second late with a burst of overdue requests that the server is then blamed for.
  due0 = math.max(start_us, micros() + 100000) + (tid - 1) * interval / threads
  index = 0
  sent_at = 0
  due = 0
  lat = {}
  statuses = {}
  sent = 0
  math.randomseed(tid * 7919 + micros() % 100000)
end

function delay()
  local wait = due0 + index * interval - micros()
  if wait <= 0 then return 0 end
  return math.floor(wait / 1000)
end

local function event(n, now)
  return '{"session_id":"' .. string.format("%08x-0000-4000-8000-%012x", math.random(0, 0x7fffffff), tid * 1000000 + n % 1000000)
    .. '","category":"page interaction","name":"pageview","timestamp":"' .. now
    .. '","data":{"host":"www.example.com","path":"/p/' .. tid .. '/' .. index .. '/' .. n .. '"}}'
end

function request()
  due = due0 + index * interval
  index = index + 1
  sent = sent + 1
  sent_at = micros()
  if mode == "auth" then
    return wrk.format("GET", "/api/v1/auth/me", { ["Authorization"] = "Bearer " .. keys[1] })
  elseif mode == "events" then
    local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
    local body
    if batch == 1 then
      body = event(0, now)
    else
      local parts = {}
      for n = 1, batch do parts[n] = event(n, now) end
      body = "[" .. table.concat(parts, ",") .. "]"
    end
    return wrk.format("POST", "/api/v1/events",
      { ["Authorization"] = "Bearer " .. keys[1], ["Content-Type"] = "application/json" }, body)
  else
    local key = (mode == "hot") and keys[1] or keys[math.random(#keys)]
    local body = '{"wallet_token":"' .. wallets[math.random(#wallets)] .. '","amount":"1.00","invoice":"'
      .. run .. "-" .. phase .. "-" .. tid .. "-" .. index .. '"}'
    return wrk.format("POST", "/api/v1/charges",
      { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }, body)
  end
end

function response(status, headers, body)
  local v = micros() - math.min(due, sent_at)
  if v < 1 then v = 1 end
  local b = bucket(v)
  lat[b] = (lat[b] or 0) + 1
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged, codes, total_sent = {}, {}, 0
  for _, thread in ipairs(thread_list) do
    for k, n in pairs(thread:get("lat")) do merged[k] = (merged[k] or 0) + n end
    for k, n in pairs(thread:get("statuses")) do codes[k] = (codes[k] or 0) + n end
    total_sent = total_sent + thread:get("sent")
  end
  for k, n in pairs(merged) do io.write(string.format("lat %d %d\n", k, n)) end
  for k, n in pairs(codes) do io.write(string.format("status %d %d\n", k, n)) end
  io.write(string.format("count sent %d\n", total_sent))
  io.write(string.format("count duration_us %d\n", summary.duration))
  -- The schedules ran from schedule_start until wrk stopped them (just now): wrk's own clock starts only after all
  -- threads are made, which with hundreds of threads is later, so its duration would overstate the rate.
  io.write(string.format("count window_us %d\n", micros() - schedule_start))
  local e = summary.errors
  io.write(string.format("count errors %d\n", e.connect + e.read + e.write + e.timeout))
end
