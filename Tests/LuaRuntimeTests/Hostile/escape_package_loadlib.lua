-- attack: CVE-2022-0543 (Redis): reach Debian's liblua through package.loadlib and open
--         luaopen_io to get a file handle, then write a marker file.
-- expect: error "escape_package_loadlib.lua:5: undefined global 'package'"
-- marker: /tmp/steward-hostile-package-marker
local loadlib = package.loadlib
local io_open = loadlib("/usr/lib/x86_64-linux-gnu/liblua5.4.so.0", "luaopen_io")
io_open().open("/tmp/steward-hostile-package-marker", "w"):write("escaped")
