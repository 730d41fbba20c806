-- wrk script for benches/serve-load.sh: spreads requests over the paths in PATHS (comma-separated, from the
-- environment) and checks every answer: status 200, an HTML body that ends with </html>, a feed that ends with
-- </feed>, a stylesheet that is not empty, and, on the edited
-- post, exactly one of the two edit markers. Each wrk thread counts in its own Lua state; done() adds them up.
local paths = {}
for p in string.gmatch(os.getenv("PATHS") or "/", "[^,]+") do paths[#paths + 1] = p end
local edited = os.getenv("EDITED") or ""
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  checked, incomplete, unmarked, bad_status, seen_a, seen_b = 0, 0, 0, 0, 0, 0
  next_path, last_path = 1, nil
end

function request()
  last_path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", last_path)
end

-- With pipelining off, wrk pairs each response with the request sent before it on that connection, and each
-- connection sends the next request only after the answer, so last_path is this response's path per connection;
-- across connections of one thread it is not, which is why the marker check looks at the body, not the path.
function response(status, headers, body)
  checked = checked + 1
  if status ~= 200 then bad_status = bad_status + 1 end
  local kind = headers["content-type"] or headers["Content-Type"] or ""
  if string.find(kind, "text/html", 1, true) and not string.find(body, "</html>%s*$") then incomplete = incomplete + 1 end
  if string.find(kind, "xml", 1, true) and not string.find(body, "</feed>%s*$") then incomplete = incomplete + 1 end
  if string.find(kind, "text/css", 1, true) and #body == 0 then incomplete = incomplete + 1 end
  if string.find(body, "LOADMARK", 1, true) then
    local a = string.find(body, "LOADMARK-A", 1, true) ~= nil
    local b = string.find(body, "LOADMARK-B", 1, true) ~= nil
    if a == b then unmarked = unmarked + 1 end
    if a then seen_a = seen_a + 1 end
    if b then seen_b = seen_b + 1 end
  end
end

function done(summary, latency, requests)
  local c, i, u, s, a, b = 0, 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("checked"); i = i + t:get("incomplete"); u = u + t:get("unmarked"); s = s + t:get("bad_status")
    a = a + t:get("seen_a"); b = b + t:get("seen_b")
  end
  io.write(string.format("edited post served %d times as version A, %d times as version B\n", a, b))
  local e = summary.errors
  io.write(string.format("checked %d responses: %d incomplete bodies, %d with both or neither edit marker, %d not 200\n", c, i, u, s))
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d; non-2xx/3xx %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
end
