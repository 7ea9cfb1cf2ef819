using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Milan.IO;

namespace Milan.Annotations;

/// <summary>Network settings for <see cref="ArchiveDownload"/>.</summary>
public sealed record DownloadOptions
{
    /// <summary>Tries per download; each retry resumes where the previous one stopped.</summary>
    public int Attempts { get; init; } = 3;

    /// <summary>Pause before a retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Limit for connecting and receiving the response headers.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Limit for one read of the body; a stalled connection counts as interrupted.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The HTTP handler (tests and proxies); default a SocketsHttpHandler without decompression.</summary>
    public HttpMessageHandler? Handler { get; init; }
}

/// <summary>
/// Downloads one file over HTTP into <c>&lt;destination&gt;.part</c> and renames it into place when
/// complete. An interrupted download (cut connection, stall, Ctrl+C, crash) keeps its .part file and
/// a small .part.json record (address, total size, ETag/Last-Modified); the next call asks for the
/// rest with an HTTP Range request (with If-Range, so a changed file on the server restarts from
/// zero). Sizes are checked: the body must end exactly at the size the server declared
/// (Content-Length, or the total of Content-Range), and a resumed response must continue at the
/// right offset and agree with the recorded total.
/// </summary>
public static class ArchiveDownload
{
    private sealed record PartState(string Url, long? Total, string? Validator);

    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/> (reused if it already exists); returns its size.</summary>
    public static async Task<long> DownloadAsync(Uri url, string destination, DownloadOptions? options = null,
        IProgress<WorkProgress>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new DownloadOptions();
        if (File.Exists(destination)) return new FileInfo(destination).Length;
        string part = destination + ".part";
        string statePath = destination + ".part.json";

        using var client = new HttpClient(options.Handler ?? new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
        }, disposeHandler: options.Handler is null)
        { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Milan.Research", "0.1"));

        string task = $"download {Path.GetFileName(destination)}";
        Exception? last = null;
        for (int attempt = 1; attempt <= Math.Max(1, options.Attempts); attempt++)
        {
            if (attempt > 1 && options.RetryDelay > TimeSpan.Zero) await Task.Delay(options.RetryDelay, cancellation);
            try
            {
                if (await TryOnceAsync(client, url, part, statePath, options, task, progress, cancellation))
                {
                    File.Move(part, destination, overwrite: true);
                    File.Delete(statePath);
                    return new FileInfo(destination).Length;
                }
            }
            catch (Exception e) when (IsTransient(e, cancellation))
            {
                last = e;
            }
        }
        long have = File.Exists(part) ? new FileInfo(part).Length : 0;
        var state = ReadState(statePath, url);
        if (have == 0 && last is not null && IsUnreachable(last))
            throw new MilanInputException(
                $"cannot reach {url.Host} ({url}): {Describe(last)}. This machine may have no internet access (or the host is down); "
                + "download the archive elsewhere and install it with --archive <file.zip>, or point --base-url / $" + DatasetKeys.BaseUrlVariable + " at a mirror.",
                last);
        string attempts = $"after {Math.Max(1, options.Attempts)} attempt(s)";
        string why = last is null ? "the body ended early" : Describe(last);
        if (have == 0)
        {
            // Nothing arrived: an empty .part (and its record) would only suggest there is something to resume.
            Restart(part, statePath);
            throw new MilanInputException($"download of {url} failed before any byte of the file arrived ({why}) {attempts}; nothing was kept, run the same command again to retry",
                last ?? new IOException("empty body"));
        }
        throw new MilanInputException(
            $"download of {url} interrupted after {have} of {(state?.Total is long t ? t.ToString() : "?")} bytes ({why}) {attempts}; "
            + $"the partial file {part} is kept: run the same command again to resume", last ?? new IOException("incomplete body"));
    }

    /// <returns>True when the .part file is complete.</returns>
    private static async Task<bool> TryOnceAsync(HttpClient client, Uri url, string part, string statePath, DownloadOptions options,
        string task, IProgress<WorkProgress>? progress, CancellationToken cancellation)
    {
        var state = ReadState(statePath, url);
        long have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (state is null && have > 0)
        {
            File.Delete(part);
            have = 0;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
            if (state!.Validator is { } validator)
            {
                if (EntityTagHeaderValue.TryParse(validator, out var tag)) request.Headers.IfRange = new RangeConditionHeaderValue(tag);
                else if (DateTimeOffset.TryParse(validator, System.Globalization.CultureInfo.InvariantCulture, out var date)) request.Headers.IfRange = new RangeConditionHeaderValue(date);
            }
        }

        using var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        headersTimeout.CancelAfter(options.ConnectTimeout);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headersTimeout.Token);

        long offset;
        long? total;
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
        {
            // Our .part is at least as long as the remote file: complete if it matches the recorded size, else stale.
            long? remote = response.Content.Headers.ContentRange?.Length;
            if (remote == have && (state!.Total ?? have) == have) return true;
            Restart(part, statePath);
            if (remote is long actual && state!.Total is long declared && actual != declared)
                throw new MilanInputException($"{url}: the server declared {declared} bytes, but its file has {actual}; the partial download was discarded (run again to start over)");
            return false;
        }
        if (response.StatusCode == HttpStatusCode.PartialContent && have > 0)
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From != have || range.Length is null || (state!.Total is long known && known != range.Length))
            {
                // The server's file differs from the one we started (size changed) or it answered another range: start over.
                Restart(part, statePath);
                return false;
            }
            offset = have;
            total = range.Length;
        }
        else if (response.StatusCode == HttpStatusCode.OK)
        {
            offset = 0;
            total = response.Content.Headers.ContentLength;
        }
        else if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new MilanInputException($"{url}: not found on the server (HTTP 404); check the key and --base-url");
        }
        else
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        string? validatorValue = response.Headers.ETag?.ToString()
            ?? response.Content.Headers.LastModified?.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        AtomicFile.WriteAllText(statePath, JsonSerializer.Serialize(new PartState(url.ToString(), total, validatorValue)));

        await using var body = await response.Content.ReadAsStreamAsync(cancellation);
        await using var output = new FileStream(part, offset == 0 ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.None, 1 << 16);
        var buffer = new byte[1 << 16];
        long done = offset;
        progress?.Report(new WorkProgress(task, done, total ?? 0));
        while (true)
        {
            using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            readTimeout.CancelAfter(options.ReadTimeout);
            int read = await body.ReadAsync(buffer, readTimeout.Token);
            if (read == 0) break;
            if (total is long limit && done + read > limit)
            {
                output.Close();
                Restart(part, statePath);
                throw new MilanInputException($"{url}: the server sent more than the {limit} bytes it declared; the download was discarded");
            }
            await output.WriteAsync(buffer.AsMemory(0, read), cancellation);
            done += read;
            progress?.Report(new WorkProgress(task, done, total ?? 0));
        }
        await output.FlushAsync(cancellation);
        return total is null || done == total;
    }

    private static PartState? ReadState(string statePath, Uri url)
    {
        if (!File.Exists(statePath)) return null;
        try
        {
            var state = JsonSerializer.Deserialize<PartState>(File.ReadAllText(statePath));
            return state is not null && state.Url == url.ToString() ? state : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Removes the partial file and its record, where they exist.</summary>
    private static void Restart(string part, string statePath)
    {
        if (File.Exists(part)) File.Delete(part);
        if (File.Exists(statePath)) File.Delete(statePath);
    }

    private static bool IsTransient(Exception e, CancellationToken cancellation) =>
        !cancellation.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException
        && e is not MilanInputException;

    private static bool IsUnreachable(Exception e) =>
        e is HttpRequestException { InnerException: SocketException } or HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError }
        || e is OperationCanceledException;

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "timed out",
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "the server closed the connection before answering",
        HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } => "the server closed the connection before the body was complete",
        HttpRequestException { InnerException: SocketException socket } => socket.Message,
        _ => e.Message,
    };
}
