import CEditLine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The prompt at a terminal, on libedit: line editing (emacs keys, or the user's `~/.editrc`),
/// a history kept in a file across sessions, whose entries are whole statements however many
/// lines they span, and Tab completion.
///
/// libedit reads keys through `readCharacter`, which waits on the terminal and on Ctrl-C's
/// wake-up at once; a Ctrl-C press gives up the line being edited (`Input.interrupted`).
final class LineEditor {
    enum Input: Equatable {
        case line(String)
        /// Ctrl-C while editing: the line is dropped. `lineWasEmpty` tells a press at an empty
        /// prompt (the second of which leaves) from one that cleared something.
        case interrupted(lineWasEmpty: Bool)
        /// Ctrl-D at an empty prompt, or the terminal went away.
        case end
    }

    /// Completes the text before the cursor; given the text after it too.
    typealias Completer = (_ beforeCursor: String, _ afterCursor: String) -> SQLCompletion.Result

    private let editor: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: URL?
    private let interrupts: InterruptSignal
    private let completer: Completer
    private var prompt: UnsafeMutablePointer<CChar>
    /// Set by `readCharacter` when Ctrl-C ends the line being read.
    private var interruptedLineWasEmpty: Bool?
    /// Ctrl-C presses the caller had dealt with when it asked for the current line.
    private var pressesBeforeLine = 0

    /// The most entries the history keeps, in memory and in its file.
    static let historySize: Int32 = 1000

    /// nil when libedit cannot drive this terminal.
    init?(historyFile: URL?, interrupts: InterruptSignal, completer: @escaping Completer) {
        Self.useUTF8Characters()
        guard let editor = hangar_el_init("hangar"), let history = history_init() else { return nil }
        self.editor = editor
        self.history = history
        self.historyFile = historyFile
        self.interrupts = interrupts
        self.completer = completer
        prompt = strdup("")
        hangar_history_set_size(history, Self.historySize)
        hangar_history_set_unique(history, 1)
        if let historyFile, FileManager.default.fileExists(atPath: historyFile.path) {
            hangar_history_load(history, historyFile.path)
        }
        hangar_el_set_client_data(editor, Unmanaged.passUnretained(self).toOpaque())
        hangar_el_set_editor(editor, "emacs")
        hangar_el_set_history(editor, history)
        hangar_el_set_prompt(editor) { editor in
            editor.flatMap(LineEditor.owner)?.prompt
        }
        hangar_el_set_read_character(editor) { editor, character in
            guard let editor, let character, let owner = LineEditor.owner(of: editor) else { return -1 }
            return owner.readCharacter(into: character)
        }
        hangar_el_add_function(editor, "hangar-complete", "Complete SQL names") { editor, _ in
            guard let editor, let owner = LineEditor.owner(of: editor) else { return UInt8(CC_ERROR) }
            return owner.complete()
        }
        hangar_el_bind(editor, "^I", "hangar-complete")
        // The user's own key bindings, as every libedit program reads them.
        el_source(editor, nil)
    }

    deinit {
        el_end(editor)
        history_end(history)
        free(prompt)
    }

    /// Shows `prompt` and reads one line (with its line break), which may hold several lines
    /// when a multi-line statement was recalled from the history. A Ctrl-C press beyond
    /// `pressesBefore` (`InterruptSignal.presses`) interrupts it.
    func readLine(prompt text: String, pressesBefore: Int) -> Input {
        free(prompt)
        prompt = strdup(text)
        pressesBeforeLine = pressesBefore
        interruptedLineWasEmpty = nil
        // The terminal goes into editing mode before the prompt shows, not at the first key:
        // a key typed as soon as the prompt is there would otherwise meet the terminal's own
        // line editing (echoed twice, and a Ctrl-D lost).
        hangar_el_prepare_terminal(editor, 1)
        var count: Int32 = 0
        guard let line = el_gets(editor, &count), count > 0 else {
            if let wasEmpty = interruptedLineWasEmpty {
                // libedit leaves the cursor on the abandoned line.
                FileHandle.standardOutput.write(Data("^C\n".utf8))
                return .interrupted(lineWasEmpty: wasEmpty)
            }
            return .end
        }
        return .line(String(cString: line))
    }

    /// Adds a whole statement (or command) to the history, and to its file at once, so a
    /// session that is killed keeps what it ran.
    func remember(_ entry: String) {
        hangar_history_enter(history, entry)
        guard let historyFile else { return }
        try? FileManager.default.createDirectory(at: historyFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        // libedit writes the file readable by its owner only: statements may hold secrets.
        hangar_history_save(history, historyFile.path)
    }

    private static func owner(of editor: OpaquePointer) -> LineEditor? {
        hangar_el_client_data(editor).map { Unmanaged<LineEditor>.fromOpaque($0).takeUnretainedValue() }
    }

    /// libedit converts between its wide characters and UTF-8 with the C library's locale,
    /// which is "C" (ASCII) until a program chooses one: the user's, or C.UTF-8 when theirs is
    /// not UTF-8, so names and strings outside ASCII can be typed.
    private static func useUTF8Characters() {
        setlocale(LC_CTYPE, "")
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) == "UTF-8" { return }
        setlocale(LC_CTYPE, "C.UTF-8")
    }

    // MARK: - Reading keys

    /// libedit's character reader: 1 with a character, 0 at the end of input, -1 on Ctrl-C
    /// (errno EINTR) or an error. Waits on the terminal and Ctrl-C's wake-up together.
    private func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: interrupts.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        while true {
            if poll(&descriptors, 2, -1) < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if descriptors[1].revents != 0 {
                interrupts.drainWake()
                if interrupts.arrived(since: pressesBeforeLine), let line = el_wline(editor) {
                    interruptedLineWasEmpty = line.pointee.buffer == line.pointee.lastchar
                    errno = EINTR
                    return -1
                }
            }
            if descriptors[0].revents != 0 { return readUTF8Character(into: character) }
        }
    }

    private func readUTF8Character(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        var bytes: [UInt8] = []
        while bytes.isEmpty || bytes.count < Self.utf8Length(leading: bytes[0]) {
            var byte: UInt8 = 0
            let received = read(STDIN_FILENO, &byte, 1)
            if received < 0, errno == EINTR { continue }
            guard received == 1 else { return received == 0 && bytes.isEmpty ? 0 : -1 }
            bytes.append(byte)
        }
        // A malformed sequence becomes U+FFFD rather than ending the line.
        let scalar = String(decoding: bytes, as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
        character.pointee = wchar_t(bitPattern: scalar.value)
        return 1
    }

    private static func utf8Length(leading byte: UInt8) -> Int {
        switch byte {
        case 0xF0...0xF7: 4
        case 0xE0...0xEF: 3
        case 0xC0...0xDF: 2
        default: 1
        }
    }

    // MARK: - Completion

    /// Tab: one candidate replaces the word; several extend it as far as they agree, else are
    /// listed below the line, which libedit then draws again.
    private func complete() -> UInt8 {
        guard let line = el_line(editor)?.pointee, let buffer = line.buffer, let cursor = line.cursor,
              let last = line.lastchar else { return UInt8(CC_ERROR) }
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: cursor - buffer), as: UTF8.self)
        let after = String(decoding: UnsafeRawBufferPointer(start: cursor, count: last - cursor), as: UTF8.self)
        let result = completer(before, after)
        let candidates = result.candidates
        guard let first = candidates.first else { return UInt8(CC_REFRESH_BEEP) }
        if candidates.count == 1 {
            replace(result.typed, with: first.text + first.suffix)
            return UInt8(CC_REFRESH)
        }
        let common = Self.commonPrefix(candidates.map(\.text))
        if common.count > result.typed.count {
            replace(result.typed, with: common)
            return UInt8(CC_REFRESH)
        }
        FileHandle.standardOutput.write(Data(("\n" + Self.listing(candidates.map(\.display))).utf8))
        return UInt8(CC_REDISPLAY)
    }

    private func replace(_ typed: String, with text: String) {
        el_deletestr(editor, Int32(typed.unicodeScalars.count))
        el_insertstr(editor, text)
    }

    private static func commonPrefix(_ texts: [String]) -> String {
        guard var prefix = texts.first.map(Array.init) else { return "" }
        for text in texts.dropFirst() {
            prefix = Array(zip(prefix, text).prefix { $0 == $1 }.map(\.0))
        }
        return String(prefix)
    }

    /// Candidates in columns across the terminal, as shells list them; a long list is cut.
    private static func listing(_ items: [String]) -> String {
        let limit = 200
        var text = TextTable.grid(Array(items.prefix(limit)), width: TerminalSize.columns() ?? 80)
        if items.count > limit { text += "… and \(items.count - limit) more; type more of the name\n" }
        return text
    }
}
