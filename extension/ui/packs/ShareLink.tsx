import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';

/** A share link as text, as a QR code, and a Copy button. */
export function ShareLink({ link }: { link: string }) {
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(link, { margin: 1, width: 200 }).then((url) => { if (live) setQr(url); }, () => { if (live) setQr(null); });
    return () => { live = false; };
  }, [link]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Link copied.');
    } catch {
      setCopied('Could not copy: select the link and copy it.');
    }
  };
  return (
    <div class="tl-share-link">
      <p class="tl-link-text" aria-label="Share link text">{link}</p>
      <p>
        <button type="button" onClick={() => void copy()}>Copy link</button>
        {copied && <span role="status" class="tl-muted tl-small"> {copied}</span>}
      </p>
      {qr && <img src={qr} alt="Share link as a QR code" width={200} height={200} class="tl-qr" />}
    </div>
  );
}
