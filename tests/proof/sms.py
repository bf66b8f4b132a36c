"""An SMS backend for the proofs: appends each message as one line to the file named by
PROOF_SMS_LOG, so a test can count what was really sent (LIAISON_SMS_BACKEND selects it)."""

import os


class FileSmsBackend:
    def send(self, phone: str, text: str) -> None:
        line = f"{phone}\t{' '.join(text.split())}\n"
        with open(os.environ["PROOF_SMS_LOG"], "a", encoding="utf-8") as log:
            log.write(line)
