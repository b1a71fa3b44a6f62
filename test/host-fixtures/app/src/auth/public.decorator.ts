import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'host:isPublic';

/** The host's own marker of routes open without signing in. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
