-- wrk script for the warm-up: touches every camera that access.lua picks from (25 districts x 1,000) exactly once, each
-- thread walking its own slice, then stops, so the timed run measures warm decisions and not first activations.
-- TOKENS as in access.lua; SLICES (the number of wrk processes) and SLICE (this one, from 0) split the cameras further.
-- A thread that has walked its slice writes a file into DONE_DIR (wrk itself runs until its -d duration ends, so the
-- caller counts these files and stops it).
local counter = 0
local tokens = {}
for token in string.gmatch(os.getenv("TOKENS"), "[^,]+") do table.insert(tokens, token) end
local slices = tonumber(os.getenv("SLICES") or "1")
local slice = tonumber(os.getenv("SLICE") or "0")
local cameras = 25 * 1000

function setup(thread)
  counter = counter + 1
  thread:set("token", tokens[(counter - 1) % #tokens + 1])
  thread:set("first", counter - 1)
end

function init(args)
  stride = slices * #tokens
  next_camera = slice * #tokens + first
end

request = function()
  local n = next_camera
  next_camera = next_camera + stride
  local path = string.format("/api/v1/cameras/%d-%05d/access", 11010 + (n % 25) * 10, math.floor(n / 25) % 1000 + 1)
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end

response = function(status, headers, body)
  if next_camera >= cameras and not done then
    done = true
    io.open(string.format("%s/%d-%d", os.getenv("DONE_DIR"), slice, first), "w"):close()
    wrk.thread:stop()
  end
end
