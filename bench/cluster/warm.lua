-- wrk script for the warm-up: decides once on every camera that access.lua picks from (25 districts x 1,000) through
-- this node, each thread walking its own slice, then stops. Every node walks every camera, so that the timed run
-- measures warm decisions: no first activations, and no node asking another where a camera lives for the first time.
-- TOKENS as in access.lua; NODE names this wrk process. A thread that has walked its slice writes a file into DONE_DIR
-- (wrk itself runs until its -d duration ends, so the caller counts these files and stops it).
local counter = 0
local tokens = {}
for token in string.gmatch(os.getenv("TOKENS"), "[^,]+") do table.insert(tokens, token) end
local node = os.getenv("NODE") or "1"
local cameras = 25 * 1000

function setup(thread)
  counter = counter + 1
  thread:set("token", tokens[(counter - 1) % #tokens + 1])
  thread:set("first", counter - 1)
end

function init(args)
  stride = #tokens
  next_camera = first
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
    io.open(string.format("%s/%s-%d", os.getenv("DONE_DIR"), node, first), "w"):close()
    wrk.thread:stop()
  end
end
