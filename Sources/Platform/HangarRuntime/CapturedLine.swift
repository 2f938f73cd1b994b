import Foundation

/// One line of a program's output as the runtime captured it (masked, timestamped), before the
/// run's log stores and numbers it as a `LogLine`.
public struct CapturedLine: Sendable, Equatable, CustomStringConvertible {
    public enum Stream: String, Sendable, Equatable {
        case stdout, stderr
        /// Lines Hangar itself writes into a run's log (environment creation, hints).
        case hangar
    }

    public let stream: Stream
    /// Secret values are already masked; invalid UTF-8 is replaced with U+FFFD; no newline.
    public let text: String
    /// When the line's last bytes were read from the pipe.
    public let timestamp: Date
    /// The line was longer than the capture limit: `text` is its beginning followed by
    /// `CapturedLine.truncationMark`, and the rest of the line was dropped.
    public let isTruncated: Bool

    public init(stream: Stream, text: String, timestamp: Date = Date(), isTruncated: Bool = false) {
        self.stream = stream
        self.text = text
        self.timestamp = timestamp
        self.isTruncated = isTruncated
    }

    /// Appended to a truncated line so readers of the log (who see only text) can tell.
    public static let truncationMark = " …[line truncated]"

    public var description: String { "[\(stream.rawValue)] \(text)" }
}

/// Receives captured lines in batches, in capture order, on the capturing thread; it must not
/// block for long, since the program's output waits in the pipe meanwhile.
public typealias LogSink = @Sendable ([CapturedLine]) -> Void
