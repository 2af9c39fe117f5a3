"""Storyboard images through any OpenAI-compatible images endpoint (opt-in: CLIFFHANGER_IMAGE_MODEL).

What comes back is checked to be a real image (Pillow decodes it) before anything is saved; an error
status, a timeout or a non-image is one short ``ImageError`` and the storyboard keeps nothing half-made.
"""

from __future__ import annotations

import base64
import binascii
import io

import openai
from PIL import Image, UnidentifiedImageError

from ..settings import Settings
from ..writing.errors import WritingError

MAX_IMAGE_BYTES = 20 * 1024 * 1024


class ImageError(WritingError):
    """The images endpoint gave no usable image; the message says what to check."""


def _message_for(exc: Exception) -> str:
    if isinstance(exc, openai.APITimeoutError):
        return "the images endpoint did not answer in time; try again, or raise CLIFFHANGER_IMAGE_TIMEOUT"
    if isinstance(exc, openai.AuthenticationError):
        return "the images endpoint refused the API key (CLIFFHANGER_IMAGE_API_KEY or OPENAI_API_KEY)"
    if isinstance(exc, openai.NotFoundError):
        return "the images endpoint does not know CLIFFHANGER_IMAGE_MODEL, or has no /images/generations"
    if isinstance(exc, openai.APIConnectionError):
        return "cannot reach the images endpoint (CLIFFHANGER_IMAGE_BASE_URL or OPENAI_BASE_URL)"
    if isinstance(exc, openai.APIStatusError):
        return f"the images endpoint failed (HTTP {exc.status_code})"
    return f"the image request failed: {exc}"


def check_image(data: bytes) -> bytes:
    """``data`` if it decodes as an image, else ImageError."""
    if not data or len(data) > MAX_IMAGE_BYTES:
        raise ImageError("the images endpoint returned no image, or one over 20 MB")
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ImageError("the images endpoint returned something that is not an image") from exc
    return data


class ImageModel:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client = None

    @property
    def configured(self) -> bool:
        s = self.settings
        return bool(s.image_model and (s.image_base_url or s.openai_base_url or s.image_api_key or s.openai_api_key))

    @property
    def name(self) -> str:
        return self.settings.image_model or "placeholder"

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            s = self.settings
            self._client = openai.OpenAI(api_key=s.image_api_key or s.openai_api_key or "not-needed",
                                         base_url=s.image_base_url or s.openai_base_url, timeout=s.image_timeout,
                                         max_retries=s.model_retries)
        return self._client

    def generate(self, prompt: str) -> bytes:
        """One vertical image for ``prompt`` as image bytes (PNG or whatever the server encodes)."""
        s = self.settings
        try:
            try:
                result = self.client.images.generate(model=s.image_model, prompt=prompt, size=s.image_size, n=1,
                                                     response_format="b64_json")
            except openai.BadRequestError:
                # some servers (gpt-image-1 among them) always answer base64 and reject the parameter
                result = self.client.images.generate(model=s.image_model, prompt=prompt, size=s.image_size, n=1)
        except openai.OpenAIError as exc:
            raise ImageError(_message_for(exc)) from exc
        item = (result.data or [None])[0]
        if item is None:
            raise ImageError("the images endpoint returned no image")
        if item.b64_json:
            try:
                return check_image(base64.b64decode(item.b64_json, validate=True))
            except (binascii.Error, ValueError) as exc:
                raise ImageError("the images endpoint returned something that is not an image") from exc
        if item.url:
            return check_image(self._download(item.url))
        raise ImageError("the images endpoint returned no image")

    def _download(self, url: str) -> bytes:
        import httpx

        try:
            response = httpx.get(url, timeout=self.settings.image_timeout, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise ImageError("could not fetch the generated image: {exc}", exc=exc) from exc
        return response.content
