// editor.js: the SQL editor, CodeMirror 5 (embedded in the binary from the pinned npm package,
// served at /vendor/codemirror/): PostgreSQL highlighting, and completion of keywords, table and
// column names (Ctrl+Space, or after a "."). Ctrl+Enter runs the selection, or everything.
/* global CodeMirror */

let cm = null;

export function createEditor(textarea, { onRun }) {
  cm = CodeMirror.fromTextArea(textarea, {
    mode: "text/x-pgsql",
    lineNumbers: true,
    indentWithTabs: false,
    smartIndent: true,
    matchBrackets: true,
    viewportMargin: Infinity,
    extraKeys: {
      "Ctrl-Enter": () => onRun(),
      "Cmd-Enter": () => onRun(),
      "Ctrl-Space": "autocomplete",
    },
    hintOptions: { tables: {}, completeSingle: false },
  });
  cm.on("inputRead", (editor, change) => {
    if (change.text.length === 1 && change.text[0] === ".") {
      editor.showHint({ completeSingle: false });
    }
  });
  window.augur = Object.assign(window.augur || {}, { editor: cm });  // for tests and the devtools
  return cm;
}

export function editorText() {
  return cm.getValue();
}

// The selected text, or "" when nothing is selected.
export function editorSelection() {
  return cm.somethingSelected() ? cm.getSelection() : "";
}

export function setEditorText(text) {
  cm.setValue(text);
  cm.focus();
  cm.setCursor(cm.lineCount(), 0);
}

// Completion names: {"table": ["column", ...], "schema.table": [...]}.
export function setCompletionTables(tables) {
  cm.setOption("hintOptions", { tables, completeSingle: false });
}
