using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Milan.Tests.Annotations;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (a random free port) that serves one byte array at any
/// path, with Range support and an ETag, one request per connection. Faults are scripted: cut the
/// connection after some bytes on the first N requests, close it without answering, declare a wrong
/// Content-Length, or ignore Range. Records every request's Range header. Stops on dispose; every socket operation is bounded
/// by a timeout so a test cannot hang.
/// </summary>
internal sealed class LoopbackArchiveServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public byte[] Content { get; set; }
    public string ETag { get; set; } = "\"v1\"";

    /// <summary>Cut the connection after this many body bytes on the first <see cref="CutRequests"/> requests.</summary>
    public int CutAfter { get; set; }
    public int CutRequests { get; set; }

    /// <summary>Close the connection without sending anything on the first this many requests.</summary>
    public int CloseRequests { get; set; }

    /// <summary>Declared Content-Length of full responses when set (the body is still <see cref="Content"/>).</summary>
    public long? DeclaredLength { get; set; }

    public int StatusOverride { get; set; }

    public List<string?> Ranges { get; } = [];
    public int Requests => Ranges.Count;

    public Uri BaseUrl { get; }

    public LoopbackArchiveServer(byte[] content)
    {
        Content = content;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/data/");
        _loop = Task.Run(Serve);
    }

    private async Task Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            using (client)
            {
                try { await Respond(client); }
                catch (Exception) when (!_stop.IsCancellationRequested) { /* the client went away: next connection */ }
            }
        }
    }

    private async Task Respond(TcpClient client)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var stream = client.GetStream();
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0) return;
            header.Append((char)one[0]);
        }
        string? range = header.ToString().Split("\r\n")
            .FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))?[6..].Trim();
        int request;
        lock (Ranges)
        {
            Ranges.Add(range);
            request = Ranges.Count;
        }

        if (request <= CloseRequests)
        {
            client.Client.Shutdown(SocketShutdown.Both);
            return;
        }
        var content = Content;
        string status;
        long start = 0;
        var headers = new StringBuilder();
        if (StatusOverride != 0)
        {
            await Write(stream, $"HTTP/1.1 {StatusOverride} Scripted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", timeout.Token);
            return;
        }
        if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            start = long.Parse(range[6..].TrimEnd('-'), CultureInfo.InvariantCulture);
            if (start >= content.Length)
            {
                await Write(stream, $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{content.Length}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", timeout.Token);
                return;
            }
            status = "206 Partial Content";
            headers.Append($"Content-Range: bytes {start}-{content.Length - 1}/{content.Length}\r\nContent-Length: {content.Length - start}\r\n");
        }
        else
        {
            status = "200 OK";
            headers.Append($"Content-Length: {DeclaredLength ?? content.Length}\r\n");
        }
        await Write(stream, $"HTTP/1.1 {status}\r\nETag: {ETag}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n{headers}\r\n", timeout.Token);
        int length = content.Length - (int)start;
        if (request <= CutRequests) length = Math.Min(length, CutAfter);
        await stream.WriteAsync(content.AsMemory((int)start, length), timeout.Token);
        await stream.FlushAsync(timeout.Token);
        client.Client.Shutdown(SocketShutdown.Both);
    }

    private static Task Write(NetworkStream stream, string text, CancellationToken cancellation) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellation).AsTask();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
