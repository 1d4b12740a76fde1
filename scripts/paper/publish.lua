-- Copies a reproduction's generated results into docs/reproduction.md: the
-- claims tables of report.md, ablations/report.md and curvature/report.md
-- replace the text between the markers
--   <!-- generated: claims-MODE --> ... <!-- end: claims-MODE -->
-- (and ablations-MODE, curvature-MODE), and the main figures are copied to
-- docs/figures/paper (quick) or paper_full (full). So the verdicts on the
-- page are the run's, never retyped.
--   rnnlab run scripts/paper/publish.lua --set from=results/paper --set mode=quick
--     [--set doc=docs/reproduction.md] [--set figures=docs/figures/paper]
local here = (...):match("(.*/)") or "./"
local from = assert(lab.args.from, "publish.lua needs --set from=<results root>")
local mode = assert(lab.args.mode, "publish.lua needs --set mode=quick or mode=full")
local doc = lab.args.doc or (here .. "../../docs/reproduction.md")
local figures = lab.args.figures or (here .. "../../docs/figures/" .. (mode == "full" and "paper_full" or "paper"))

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local text = f:read("a")
  f:close()
  return text
end
local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- The lines of a report to publish: its summary line and its claims table.
local function section(report)
  local text = read(report)
  if not text then return nil end
  local out = {}
  for line in text:gmatch("[^\n]*") do
    if line:match("^Mode:") or line:match("^Of %d+ claims") then
      out[#out + 1] = line
      out[#out + 1] = ""
    elseif line:match("^|") then
      out[#out + 1] = line
    end
  end
  return table.concat(out, "\n")
end

local page = assert(read(doc), "cannot read " .. doc)
local published = 0
for _, part in ipairs{ { "claims", from .. "/report.md" }, { "ablations", from .. "/ablations/report.md" },
                       { "curvature", from .. "/curvature/report.md" } } do
  local body = section(part[2])
  local begin_mark = "<!-- generated: " .. part[1] .. "-" .. mode .. " -->"
  local end_mark = "<!-- end: " .. part[1] .. "-" .. mode .. " -->"
  local a, b = page:find(begin_mark, 1, true)
  local c = page:find(end_mark, 1, true)
  if body and a and c and c > b then
    page = page:sub(1, b) .. "\n" .. body .. "\n" .. page:sub(c)
    published = published + 1
    print("published " .. part[1] .. "-" .. mode)
  elseif body then
    print("no markers for " .. part[1] .. "-" .. mode .. " in " .. doc .. "; skipped")
  end
end
write(doc, page)

-- The main figures.
local report = read(from .. "/report.md") or ""
lab.mkdir(figures)
local copied = 0
for png in report:gmatch("%]%((figures/[^)]+%.png)%)") do
  local data = read(from .. "/" .. png)
  if data then
    write(figures .. "/" .. png:match("([^/]+)$"), data)
    copied = copied + 1
  end
end
print(string.format("published %d sections into %s and %d figures into %s", published, doc, copied, figures))
