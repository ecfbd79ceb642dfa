#include "io/focus_blocks.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cfsim/error.hpp"
#include "io/sha256.hpp"

namespace cfsim::focus {
namespace {

// Bytes kept readable after the data in every buffer the splitter reads: the search below
// loads 16 bytes at a time and may look past the end of the data (never using what it sees).
constexpr std::size_t kPad = 64;
// Room in front of each block for the partial record carried over from the previous one. A
// longer record (rare: a FOCUS row is ~1 kB) goes through a separate, growing carry buffer.
constexpr std::size_t kMaxFront = std::size_t{1} << 20;

std::size_t distance(const char* from, const char* to) {
  return static_cast<std::size_t>(to - from);
}

// The first byte in [p, end) equal to a, b or c, or `end`. SSE2 (every x86-64 CPU has it)
// compares 16 bytes at a time: a FOCUS field is ~17 bytes, so most fields take one or two steps.
const char* find_any(const char* p, const char* end, char a, char b, char c) {
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c);
  for (; p < end; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                     _mm_cmpeq_epi8(v, vc));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) {
      const char* at = p + __builtin_ctz(static_cast<unsigned>(mask));
      return at < end ? at : end;
    }
  }
  return end;
#else
  for (; p < end; ++p)
    if (*p == a || *p == b || *p == c)
      return p;
  return end;
#endif
}

// Splits text into records by csv::Reader's rules, one block at a time. A record is only handed
// on once it is complete; one that runs past the block is parsed again, whole, from the next one
// (`eof` says whether more text can follow, which decides a few cases at the end of a block:
// a CR that may start a CRLF, a quote that may be doubled, blank lines that may be trailing).
class Splitter {
public:
  explicit Splitter(std::string_view origin) : origin_(origin) {}

  // Hands every record complete inside [p, end) to `fn`; returns where the first incomplete
  // one starts (`end` if none). Bytes up to end + kPad must be readable.
  const char* split(const char* p, const char* end, bool eof, const RecordFn& fn) {
    if (!bom_checked_) {
      constexpr std::string_view bom = "\xEF\xBB\xBF";
      if (distance(p, end) < bom.size() && !eof)
        return p;
      if (std::string_view(p, std::min(bom.size(), distance(p, end))) == bom)
        p += bom.size();
      bom_checked_ = true;
    }
    while (p < end) {
      const char* pos = p;
      long lines = 0;
      const Got got = record(pos, end, eof, lines);
      if (got == Got::need_more)
        return p;
      if (got == Got::end_of_text)
        return end;
      fn(RecordView{next_line_, fields_});
      next_line_ += lines;
      p = pos;
    }
    return p;
  }

private:
  enum class Got { record, need_more, end_of_text };

  // Errors name the line the record starts on, as csv::Reader::fail does.
  [[noreturn]] void fail(const std::string& what) const {
    throw TraceError(origin_, next_line_, what);
  }

  // Parses one record at `pos` into fields_, advancing `pos` past its line end and counting the
  // line breaks it spans in `lines`. Nothing is kept when the answer is need_more.
  Got record(const char*& pos, const char* end, bool eof, long& lines) {
    fields_.clear();
    unescaped_.clear();
    const char* const start = pos;
    bool reserved = false;

    if (*pos == '\n' || *pos == '\r') {
      std::size_t eol = 0;
      if (*pos == '\n')
        eol = 1;
      else if (pos + 1 == end && !eof)
        return Got::need_more; // a CR at the end of the block: CRLF or not?
      else if (pos + 1 < end && pos[1] == '\n')
        eol = 2;
      if (eol > 0) {
        const char* q = pos;
        while (q < end && (*q == '\r' || *q == '\n'))
          ++q;
        if (q == end) { // only line ends up to here: trailing if the text ends here too
          if (!eof)
            return Got::need_more;
          pos = end;
          return Got::end_of_text;
        }
        pos += eol;
        lines = 1;
        return Got::record; // a blank line in the middle: a record without fields
      }
    }

    while (true) {
      if (pos == end && !eof)
        return Got::need_more;
      if (pos < end && *pos == '"') {
        const char* q = pos + 1;
        const char* copied_to = q; // with doubled quotes: the part not yet in unescaped_
        bool escaped = false;
        std::size_t from = 0; // where this field starts in unescaped_
        while (true) {
          const char* hit = find_any(q, end, '"', '\n', '"');
          if (hit == end) {
            if (!eof)
              return Got::need_more;
            fail("unterminated quoted field (a field that starts with '\"' must end with '\"')");
          }
          if (*hit == '\n') {
            ++lines;
            q = hit + 1;
            continue;
          }
          if (hit + 1 == end && !eof)
            return Got::need_more; // a doubled quote or the closing one?
          if (hit + 1 < end && hit[1] == '"') {
            if (!escaped) {
              // Reserved once per record, before any view into unescaped_ exists: a record's
              // unescaped fields never outgrow its raw bytes, so no view is invalidated.
              if (!reserved) {
                unescaped_.reserve(distance(start, end));
                reserved = true;
              }
              escaped = true;
              from = unescaped_.size();
            }
            unescaped_.append(copied_to, hit + 1);
            copied_to = q = hit + 2;
            continue;
          }
          if (escaped) {
            unescaped_.append(copied_to, hit);
            fields_.emplace_back(unescaped_.data() + from, unescaped_.size() - from);
          } else {
            fields_.emplace_back(pos + 1, distance(pos + 1, hit));
          }
          pos = hit + 1;
          break;
        }
        if (pos == end)
          return eof ? Got::record : Got::need_more;
        if (pos + 1 == end && *pos == '\r') {
          if (!eof)
            return Got::need_more;
          pos = end;
          return Got::record;
        }
        if (*pos == ',') {
          ++pos;
          continue;
        }
        if (*pos == '\n' || (*pos == '\r' && pos[1] == '\n')) {
          pos += *pos == '\n' ? 1 : 2;
          ++lines;
          return Got::record;
        }
        fail(std::string("unexpected character '") + *pos +
             "' after a closing quote (a quoted field ends at a comma or the end of the line)");
      }

      const char* hit = find_any(pos, end, ',', '\n', '"');
      if (hit < end && *hit == '"')
        fail("quote inside an unquoted field (quote the whole field and double the quotes in it)");
      if (hit == end && !eof)
        return Got::need_more;
      std::string_view raw(pos, distance(pos, hit));
      if ((hit == end || *hit == '\n') && !raw.empty() && raw.back() == '\r')
        raw.remove_suffix(1);
      fields_.push_back(raw);
      if (hit == end) {
        pos = end;
        return Got::record;
      }
      pos = hit + 1;
      if (*hit == '\n') {
        ++lines;
        return Got::record;
      }
    }
  }

  std::string origin_;
  long next_line_ = 1;
  bool bom_checked_ = false;
  std::vector<std::string_view> fields_; // reused: no allocation per record
  std::string unescaped_;                // fields with doubled quotes, unescaped
};

// Fills one block: returns the bytes read, 0 at the end of the input; throws on a read error.
using ReadFn = std::function<std::size_t(char* dst, std::size_t n)>;

// A block and the room in front of it.
struct Buffer {
  std::unique_ptr<char[]> mem;
  char* data = nullptr; // the block; `front` bytes before it are free, kPad after it readable
  std::size_t n = 0;    // bytes in the block
  bool eof = false;     // nothing follows this block
};

// Three buffers in a ring: the parser holds at most two (the block it parses and the one its
// carried-over record is still in) while the reader fills the third. With a second thread the
// reader reads and hashes ahead; without, next() reads in the caller's thread. Either way one
// thread hashes every block in file order, so the digest does not depend on the choice.
class BlockReader {
public:
  BlockReader(ReadFn read, std::size_t block, bool hash, bool second_thread)
      : read_(std::move(read)), block_(block), front_(std::min(block, kMaxFront)) {
    for (Buffer& b : buffers_) {
      // Not zeroed: read(2) fills the block, the front is written before it is read, and the
      // search never uses the bytes past the data. (Zeroing 27 MB costs page faults up front.)
      b.mem.reset(new char[front_ + block_ + kPad]);
      b.data = b.mem.get() + front_;
      free_.push_back(&b);
    }
    if (hash)
      sha_.emplace();
    if (second_thread)
      thread_ = std::thread([this] { run(); });
  }

  ~BlockReader() {
    if (thread_.joinable()) {
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
      }
      cv_.notify_all();
      thread_.join();
    }
  }

  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;

  std::size_t front() const { return front_; }

  // The next block in file order; the caller owns it until release().
  Buffer& next() {
    if (!thread_.joinable()) {
      Buffer* b = free_.front();
      free_.pop_front();
      fill(*b);
      return *b;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return !full_.empty() || error_; });
    if (full_.empty())
      std::rethrow_exception(error_);
    Buffer* b = full_.front();
    full_.pop_front();
    return *b;
  }

  void release(Buffer& b) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      free_.push_back(&b);
    }
    cv_.notify_all();
  }

  // The digest, once the block with eof has been returned by next().
  std::string digest() { return sha_ ? sha_->hex() : std::string(); }

private:
  void fill(Buffer& b) {
    std::size_t n = 0;
    while (n < block_) {
      const std::size_t got = read_(b.data + n, block_ - n);
      if (got == 0)
        break;
      n += got;
    }
    b.n = n;
    b.eof = n < block_;
    if (sha_)
      sha_->update(std::string_view(b.data, n));
  }

  void run() {
    while (true) {
      Buffer* b = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [&] { return stop_ || !free_.empty(); });
        if (stop_)
          return;
        b = free_.front();
        free_.pop_front();
      }
      try {
        fill(*b);
      } catch (...) {
        {
          const std::lock_guard<std::mutex> lock(mutex_);
          error_ = std::current_exception();
        }
        cv_.notify_all();
        return;
      }
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        full_.push_back(b);
      }
      cv_.notify_all();
      if (b->eof)
        return;
    }
  }

  ReadFn read_;
  std::size_t block_, front_;
  Buffer buffers_[3];
  std::optional<Sha256> sha_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Buffer*> free_, full_;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_; // last: started once everything above exists
};

// The parser's loop: each block is parsed where it was read, with the previous block's partial
// record copied into the room in front of it (or, when longer than that room, both copied into
// `carry`).
void scan(BlockReader& reader, Splitter& splitter, const RecordFn& fn) {
  std::vector<char> carry;
  Buffer* held = nullptr; // the buffer the partial record is in (nullptr: in carry, or none)
  const char* tail = nullptr;
  std::size_t tail_n = 0;
  while (true) {
    Buffer& b = reader.next();
    const bool eof = b.eof; // read before b may go back to the reader thread
    const char* p = nullptr;
    const char* end = nullptr;
    bool in_carry = false;
    if (tail_n <= reader.front()) {
      char* start = b.data - tail_n;
      if (tail_n > 0)
        std::memcpy(start, tail, tail_n);
      p = start;
      end = b.data + b.n;
    } else {
      const std::size_t need = tail_n + b.n + kPad;
      if (held == nullptr)
        std::memmove(carry.data(), tail, tail_n);
      if (carry.size() < need)
        carry.resize(need);
      if (held != nullptr)
        std::memcpy(carry.data(), tail, tail_n);
      std::memcpy(carry.data() + tail_n, b.data, b.n);
      p = carry.data();
      end = p + tail_n + b.n;
      in_carry = true;
    }
    if (held != nullptr)
      reader.release(*held);
    held = nullptr;
    if (in_carry)
      reader.release(b);

    const char* rest = splitter.split(p, end, eof, fn);
    if (eof) {
      CFSIM_CHECK(rest == end, "the CSV splitter left bytes unread at the end of the text");
      if (!in_carry)
        reader.release(b);
      return;
    }
    tail = rest;
    tail_n = distance(rest, end);
    if (!in_carry)
      held = &b;
  }
}

} // namespace

std::string scan_csv_file(const std::string& path, const BlockOptions& options,
                          const RecordFn& on_record) {
  CFSIM_CHECK(options.block_bytes > 0, "scan_csv_file needs a block size of at least one byte");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr)
    throw InputError(path + ": cannot open (" + std::strerror(errno) + ")");
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, &std::fclose);
  std::setvbuf(f, nullptr, _IONBF, 0); // whole blocks go straight to read(2)
  BlockReader reader(
      [f, &path](char* dst, std::size_t n) {
        const std::size_t got = std::fread(dst, 1, n, f);
        if (got < n && std::ferror(f))
          throw Error(ExitCode::io_error, path + ": read error");
        return got;
      },
      options.block_bytes, options.sha256, options.second_thread);
  Splitter splitter(path);
  scan(reader, splitter, on_record);
  return reader.digest();
}

void scan_csv_text(std::string_view text, std::string_view origin, std::size_t block_bytes,
                   const RecordFn& on_record) {
  CFSIM_CHECK(block_bytes > 0, "scan_csv_text needs a block size of at least one byte");
  std::size_t at = 0;
  BlockReader reader(
      [&](char* dst, std::size_t n) {
        const std::size_t k = std::min(n, text.size() - at);
        if (k > 0)
          std::memcpy(dst, text.data() + at, k);
        at += k;
        return k;
      },
      std::min(block_bytes, text.size() + 1), false, false); // + 1: a whole text is one block
  Splitter splitter(origin);
  scan(reader, splitter, on_record);
}

} // namespace cfsim::focus
