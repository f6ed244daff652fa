-- wrk script for IngestBench: posts pre-signed webhooks, each at most once, spread over wrk's threads.
-- Arguments (after --): the file of requests IngestBench wrote (one per line: timestamp, signature and body,
-- separated by tabs), and the number of wrk threads. To hold a rate below the maximum, IngestBench appends a delay()
-- function to a copy of this script (wrk waits that many milliseconds on each connection between two requests).
-- Each thread formats its share of the requests once, in init(), and defines no response() callback: wrk shares
-- the two cores with what it measures, so the less Lua runs per request, the less of them it takes. IngestBench
-- counts what was stored in the database instead.
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  local stride = tonumber(args[2])
  requests = {}
  local n = 0
  for line in io.lines(args[1]) do
    if n % stride == id then
      local ts, sig, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
      table.insert(requests, wrk.format("POST", wrk.path, {["Content-Type"] = "application/json",
        ["X-Frontdoor-Timestamp"] = ts, ["X-Frontdoor-Signature"] = sig}, body))
    end
    n = n + 1
  end
  index = 0
end

function request()
  -- every request of this thread sent: send its last one again (a repeat, answered 200 and stored once)
  if index < #requests then
    index = index + 1
  end
  return requests[index]
end
