-- wrk script for bench/submit.py: each request submits the next prepared draft.
-- Threads take interleaved drafts (thread n: n, n + threads, ...) so none is sent twice.
local threads = {}

function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

function init(args)
  drafts = {}
  for line in io.lines(os.getenv("BENCH_DRAFTS")) do drafts[#drafts + 1] = line end
  step = tonumber(os.getenv("BENCH_THREADS"))
  index = number + 1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
  wrk.body = "csrf_token=" .. os.getenv("BENCH_CSRF")
end

function request()
  local draft = drafts[index]
  index = index + step
  if draft == nil then
    return wrk.format("GET", "/bench/baseline")
  end
  return wrk.format(nil, "/formulieren/terugbelverzoek/" .. draft .. "/controleren")
end
