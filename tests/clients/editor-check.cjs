// What VS Code's YAML extension shows: the diagnostics of the YAML language
// server (npm yaml-language-server, the engine of redhat.vscode-yaml) for each
// file, with the schema each file names on its first line
// (`# yaml-language-server: $schema=./journeymap.schema.json`), as in the editor.
// Used by tests/test_clients_schema.py.
//
// Arguments: files. Writes one JSON answer on stdout:
//   {PATH: [{"line": N, "col": N, "message": TEXT}, ...]}   (1-based)
const fs = require("node:fs");
const path = require("node:path");
const { getLanguageService } = require("yaml-language-server/lib/umd/languageservice/yamlLanguageService.js");
const { TextDocument } = require("vscode-languageserver-textdocument");
const { URI } = require("vscode-uri");

const service = getLanguageService({
  schemaRequestService: async (uri) => fs.readFileSync(URI.parse(uri).fsPath, "utf8"),
  workspaceContext: {
    resolveRelativePath: (relative, resource) =>
      URI.file(path.resolve(path.dirname(URI.parse(resource).fsPath), relative)).toString(),
  },
});
service.configure({ validate: true, yamlVersion: "1.2", customTags: [] });

(async () => {
  const answer = {};
  for (const file of process.argv.slice(2)) {
    const uri = URI.file(path.resolve(file)).toString();
    const document = TextDocument.create(uri, "yaml", 1, fs.readFileSync(file, "utf8"));
    const diagnostics = await service.doValidation(document, false);
    answer[file] = diagnostics.map((d) => ({
      line: d.range.start.line + 1,
      col: d.range.start.character + 1,
      message: d.message,
    }));
  }
  process.stdout.write(JSON.stringify(answer));
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
