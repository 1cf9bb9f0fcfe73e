-- wrk script: one access decision per request, on a random demo camera. Each wrk thread is its own operator session
-- (TOKENS is a comma-separated list, one per thread), as consoles are: one session's requests are processed in order.
-- CAMERAS_PER_DISTRICT (default 1000) bounds the camera numbers asked for: a smaller demo city has fewer per district.
local counter = 0
local per_district = tonumber(os.getenv("CAMERAS_PER_DISTRICT") or "1000")
local tokens = {}
for token in string.gmatch(os.getenv("TOKENS"), "[^,]+") do table.insert(tokens, token) end

function setup(thread)
  counter = counter + 1
  thread:set("token", tokens[(counter - 1) % #tokens + 1])
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() + seed)
end

request = function()
  local district = 11010 + math.random(0, 24) * 10
  local path = string.format("/api/v1/cameras/%d-%05d/access", district, math.random(1, per_district))
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
