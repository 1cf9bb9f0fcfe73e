-- wrk script: access decisions like access.lua (each wrk thread is its own operator session, TOKENS one per thread), on
-- cameras every demo district has, counting every status the consoles got and keeping the first 5xx bodies.
local counter = 0
local tokens = {}
local threads = {}
for token in string.gmatch(os.getenv("TOKENS"), "[^,]+") do table.insert(tokens, token) end

function setup(thread)
  counter = counter + 1
  thread:set("token", tokens[(counter - 1) % #tokens + 1])
  thread:set("seed", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + seed)
  statuses = {}
  failures = {}
end

request = function()
  local district = 11010 + math.random(0, 24) * 10
  local path = string.format("/api/v1/cameras/%d-%05d/access", district, math.random(1, 30))
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 500 and #failures < 5 then
    table.insert(failures, os.date("!%H:%M:%S") .. " " .. status .. " " .. string.sub(body, 1, 200))
  end
end

done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
    for _, failure in ipairs(thread:get("failures")) do io.write("  " .. string.gsub(failure, "\n", " ") .. "\n") end
  end
  for status, n in pairs(total) do io.write(string.format("status %d: %d\n", status, n)) end
end
