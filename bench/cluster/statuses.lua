-- wrk script: the access decisions of access.lua (run from the repository's root), counting every status the consoles
-- got and keeping the first five answers of 400 or more, and the first of each such status.
dofile("bench/cluster/access.lua")
local threads = {}
local choose_session = setup
local seed_thread = init

function setup(thread)
  choose_session(thread)
  table.insert(threads, thread)
end

function init(args)
  seed_thread(args)
  statuses = {}
  failures = {}
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 400 and (#failures < 5 or statuses[status] == 1) then
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
