-- Attaches the standalone Policy Lens server to a buffer with Neovim's built-in LSP client
-- (Neovim 0.7), asks for the hover on the word at POLICY_LENS_LINE/COLUMN, and writes the
-- hover's text (or what went wrong) to POLICY_LENS_OUT. Run headless by test/neovim/neovim.test.ts.
local server = vim.env.POLICY_LENS_SERVER
local draft = vim.env.POLICY_LENS_DRAFT
local out = vim.env.POLICY_LENS_OUT
local line = tonumber(vim.env.POLICY_LENS_LINE)
local column = tonumber(vim.env.POLICY_LENS_COLUMN)

local function finish(text)
  local file = io.open(out, 'w')
  file:write(text)
  file:close()
  vim.cmd('qa!')
end

vim.cmd('edit ' .. vim.fn.fnameescape(draft))
local client_id = vim.lsp.start_client({
  name = 'policy-lens',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(draft, ':h'),
})
if not client_id then
  finish('ERROR: the client did not start')
  return
end
vim.lsp.buf_attach_client(0, client_id)

-- Poll until the server answers with a hover: it indexes the built-in corpus first.
local hover = nil
vim.wait(30000, function()
  local responses = vim.lsp.buf_request_sync(0, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(0) },
    position = { line = line, character = column },
  }, 2000)
  for _, response in pairs(responses or {}) do
    if response.result and response.result.contents then
      hover = response.result.contents.value or vim.inspect(response.result.contents)
      return hover:find('paragraph 4', 1, true) ~= nil
    end
  end
  return false
end, 100)

finish(hover or 'ERROR: no hover within 30 seconds')
