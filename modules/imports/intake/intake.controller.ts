import { Body, Get, Headers, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTooManyRequestsResponse, ApiUnauthorizedResponse, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { CrmCaller } from '../../core/access/crm-caller';
import { Authorized, Caller, PublicRoute } from '../../core/access/crm-access.decorators';
import { ErrorResponseDto } from '../../core/errors/error-response.dto';
import { CrmController } from '../../core/http/crm-controller.decorator';
import { CRM_INTAKE_API_KEY_HEADER, CRM_INTAKE_API_KEY_SCHEME } from '../../core/http/crm-swagger';
import { NotForPartners } from '../../core/visibility/record-scope.decorators';
import { IdParam } from '../../core/http/id-param.decorator';
import { IntakeLeadDto } from './dto/intake-lead.dto';
import { IntakeResultDto } from './dto/intake-result.dto';
import { RejectedIntakePageDto, RejectedIntakeQueryDto } from './dto/rejected-intake.dto';
import { AuthenticatedIntakeKey, IntakeApiKeyGuard } from './intake-api-key.guard';
import type { IntakeKey } from './intake-key.entity';
import { IDEMPOTENCY_KEY_HEADER } from './intake-idempotency.service';
import { IntakeService } from './intake.service';
import { RejectedIntakeService } from './rejected-intake.service';
import { ApiBodyExample } from '../../core/http/api-body-example';

const Unmatched = ApiUnprocessableEntityResponse({
  type: ErrorResponseDto,
  description: 'The source matches nothing: the submission is kept in the rejected-intake inbox (`details.rejectedId`)',
});

@CrmController('intake', 'Lead intake')
@NotForPartners()
export class IntakeController {
  constructor(
    private readonly intake: IntakeService,
    private readonly rejected: RejectedIntakeService,
  ) {}

  @Post('leads')
  @HttpCode(200)
  @PublicRoute()
  @UseGuards(IntakeApiKeyGuard)
  @ApiSecurity(CRM_INTAKE_API_KEY_SCHEME)
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description:
      'Up to 120 characters, unique per submission. A retry with the same key and the same body answers the first answer (a 422 rejection included) instead of writing again; the same key with another body is a 422 `IDEMPOTENCY_KEY_REUSED`',
  })
  @ApiOkResponse({ type: IntakeResultDto, description: 'Created, updated (a duplicate, when the source says so) or skipped (nothing differed)' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: `Missing, unknown or revoked ${CRM_INTAKE_API_KEY_HEADER}` })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: "Over the key's rate limit; `Retry-After` says when to retry" })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description:
      'The source matches nothing: the submission is kept in the rejected-intake inbox (`details.rejectedId`), once per Idempotency-Key. Or `IDEMPOTENCY_KEY_REUSED`: the Idempotency-Key was used for another body (`errors[0].field` names it)',
  })
  @ApiOperation({ summary: 'Submit a lead (automatic intake)', description: 'For web forms and partner systems, with an intake API key in `X-Api-Key`. The lead is tagged with the source its `source` text matches, routed to an owner, and de-duplicated against existing contacts and companies.' })
  @ApiBodyExample(IntakeLeadDto, 'A request from the website contact form', { source: 'campaign', name: 'Quote for 3 pickups', companyName: 'Umbrella Corp', website: 'https://umbrella.example', firstName: 'Alice', lastName: 'Brown', email: 'alice.brown@umbrella.example', phone: '+1 555 0199', salesDirection: 'General', customerRequirements: 'Three pickups with a towing package' })
  submit(
    @Caller() caller: CrmCaller,
    @AuthenticatedIntakeKey() key: IntakeKey,
    @Body() dto: IntakeLeadDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ) {
    return this.intake.submit(caller, key, dto, idempotencyKey);
  }

  @Get('rejected')
  @Authorized('intake.manage')
  @ApiOkResponse({ type: RejectedIntakePageDto })
  @ApiOperation({ summary: 'List rejected intake submissions', description: 'Submissions intake could not take (no source matched, invalid data), kept to be fixed and replayed.' })
  listRejected(@Caller() caller: CrmCaller, @Query() query: RejectedIntakeQueryDto) {
    return this.rejected.list(caller, query);
  }

  @Post('rejected/:id/replay')
  @HttpCode(200)
  @Authorized('intake.manage')
  @ApiOkResponse({ type: IntakeResultDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such rejected submission' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already replayed' })
  @Unmatched
  @ApiOperation({ summary: 'Replay a rejected submission', description: 'Runs it through intake again, e.g. after adding the match key it needed to a source.' })
  replay(@Caller() caller: CrmCaller, @IdParam('the rejected submission') id: number) {
    return this.rejected.replay(caller, id);
  }
}
