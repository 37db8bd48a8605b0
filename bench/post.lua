-- wrk script for the two submission rows of `make bench`: every request files a new report.
-- BENCH_POST=web posts the report form as a browser does (multipart, its own one-time form
-- token, the Origin header, and the resident's address in X-Forwarded-For as a reverse proxy
-- sets it: many residents, each within the per-address limit); BENCH_POST=open311 posts
-- Open311 `requests.json` with the API key in BENCH_API_KEY. BENCH_RUN keeps tokens
-- unique between runs on one database.

local kind = os.getenv("BENCH_POST") or "web"
local key = os.getenv("BENCH_API_KEY") or ""
local run = os.getenv("BENCH_RUN") or "0"
local origin = os.getenv("BENCH_ORIGIN") or ""
local boundary = "gongzhi-bench-7d1c2e"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  seq = 0
end

local function field(name, value)
  return "--" .. boundary .. "\r\n" ..
    "Content-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end

function request()
  seq = seq + 1
  if kind == "open311" then
    local body = "api_key=" .. key .. "&service_code=graffiti&lat=22.8172&long=108.3661" ..
      "&description=Graffiti+on+the+bridge+pier+" .. run .. "-" .. tid .. "-" .. seq
    return wrk.format("POST", "/open311/v2/requests.json",
      { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
  end
  local token = string.format("bench-%s-%02d-%010d-00000000000000", run, tid, seq)
  local body = field("submit_token", token) ..
    field("category", "graffiti") ..
    field("lat", "22.8172") ..
    field("lon", "108.3661") ..
    field("address", "民族大道 100 号") ..
    field("description", "桥墩上有大片涂鸦，影响市容，请尽快清理。" .. token) ..
    "--" .. boundary .. "--\r\n"
  local resident = string.format("10.%d.%d.%d", tid, math.floor(seq / 256) % 256, seq % 256)
  return wrk.format("POST", "/reports/new", {
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
    ["Origin"] = origin,
    ["X-Forwarded-For"] = resident,
  }, body)
end
