-- wrk script for bench/ingest-bench.sh: POSTs request-event bodies to /api/v1/requests, rotating
-- through the bodies, and counts answers by status in every thread.
--
-- Arguments (after --): BODY_DIR BODY_COUNT TOKEN SECONDS
-- Each thread should own one connection (wrk -t N -c N): a thread stops itself at the first
-- answer after SECONDS, so when wrk returns no request is in flight, and every batch the server
-- committed was answered and counted here. wrk's own -d must be a little longer (wrk sleeps for
-- all of it); the run's duration is measured here, from the first thread's start to the last
-- thread's stop. wrk calls request() once more in thread 0 to verify it, so "sent" counts one
-- request that never goes out.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } vigil_timespec;
  int clock_gettime(int clk_id, vigil_timespec *tp);
]]
local ts = ffi.new("vigil_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local dir, count, token, seconds = args[1], tonumber(args[2]), args[3], tonumber(args[4])
  requests_ = {}
  for i = 0, count - 1 do
    local f = assert(io.open(dir .. "/body-" .. i .. ".json", "rb"))
    local body = f:read("*a")
    f:close()
    requests_[#requests_ + 1] = wrk.format("POST", "/api/v1/requests", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
    }, body)
  end
  next_ = id % #requests_ -- threads start at different bodies
  started_ = now()
  deadline_ = started_ + seconds
  stopped_ = 0
  sent = 0
  ok = 0
  failed = 0
  first_failure = ""
end

function request()
  next_ = next_ % #requests_ + 1
  sent = sent + 1
  return requests_[next_]
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    failed = failed + 1
    if first_failure == "" then
      first_failure = status .. " " .. string.sub(body or "", 1, 200)
    end
  end
  local t = now()
  if t >= deadline_ then
    stopped_ = t
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local s, o, f, why = -1, 0, 0, "" -- -1: the verification call of request()
  local first, last, running = math.huge, 0, 0
  for _, t in ipairs(threads) do
    first = math.min(first, t:get("started_"))
    if t:get("stopped_") == 0 then
      running = running + 1
    else
      last = math.max(last, t:get("stopped_"))
    end
    s = s + t:get("sent")
    o = o + t:get("ok")
    f = f + t:get("failed")
    if why == "" then why = t:get("first_failure") end
  end
  io.write(string.format(
    "VIGIL sent=%d ok=%d failed=%d unstopped=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d\n",
    s, o, f, running, (last - first) * 1e6, latency:percentile(50), latency:percentile(99),
    latency.max))
  if why ~= "" then io.write("VIGIL first_failure=" .. why .. "\n") end
end
