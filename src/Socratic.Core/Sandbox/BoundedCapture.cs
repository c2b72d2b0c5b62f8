// Reads a child's output stream to its end, keeping only the first N bytes. It never stops reading, so a child
// printing 100 MB cannot block on a full pipe and never fills the host's memory.
using System.Buffers;
using System.Text;

namespace Socratic.Core.Sandbox;

internal sealed class BoundedCapture(int limit)
{
    private readonly ArrayBufferWriter<byte> _kept = new();

    public bool Truncated { get; private set; }

    public async Task DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var room = limit - _kept.WrittenCount;
            if (room > 0)
            {
                _kept.Write(buffer.AsSpan(0, Math.Min(room, n)));
            }

            if (n > room)
            {
                Truncated = true;
            }
        }
    }

    /// <summary>The kept bytes as UTF-8; invalid sequences (a cut in mid-character, binary junk) become U+FFFD.</summary>
    public string Text() => Encoding.UTF8.GetString(_kept.WrittenSpan);
}
