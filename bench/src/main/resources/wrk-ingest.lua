-- wrk script for IngestBench: posts pre-signed webhooks, each at most once, spread over wrk's threads.
-- Arguments (after --): the file of requests IngestBench wrote (one per line: timestamp, signature and body,
-- separated by tabs), and the number of wrk threads.
local created = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(created, thread)
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    local ts, sig, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
    table.insert(requests, {ts = ts, sig = sig, body = body})
  end
  stride = tonumber(args[2])
  index = id + 1
  accepted = 0
  other = 0
  exhausted = 0
end

function request()
  local r = requests[index]
  if r == nil then
    -- every request of this thread was sent: send its last one again (answered 200, counted apart)
    exhausted = exhausted + 1
    r = requests[index - stride]
  else
    index = index + stride
  end
  return wrk.format("POST", wrk.path, {["Content-Type"] = "application/json",
    ["X-Frontdoor-Timestamp"] = r.ts, ["X-Frontdoor-Signature"] = r.sig}, r.body)
end

function response(status, headers, body)
  if status == 202 then accepted = accepted + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(created) do
    a = a + t:get("accepted")
    o = o + t:get("other")
  end
  io.write(string.format("frontdoor accepted=%d other=%d\n", a, o))
end
