-- wrk script: sustained heartbeats for the sessions listed in $SESSIONS_FILE
-- (one "session_token license_key" pair per line). Each wrk thread walks the list from its own
-- offset, so every session receives heartbeats and no two threads hammer the same row.

local api_key = os.getenv("API_KEY")
local file = os.getenv("SESSIONS_FILE")
local sessions = {}
local counter = 0
local thread_count = 0

local function load()
  for line in io.lines(file) do
    local token, key = line:match("^(%S+)%s+(%S+)$")
    if token then
      sessions[#sessions + 1] = '{"session_token":"' .. token .. '","license_key":"' .. key .. '"}'
    end
  end
end

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  load()
  counter = (tonumber(id) or 0) * math.floor(#sessions / 4)
  wrk.method = "POST"
  wrk.path = "/api/license/session/heartbeat"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-API-Key"] = api_key
end

function request()
  counter = counter + 1
  wrk.body = sessions[(counter % #sessions) + 1]
  return wrk.format()
end

local statuses = {}
function response(status, headers, body)
  if status ~= 200 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end
